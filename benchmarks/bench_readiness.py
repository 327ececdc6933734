"""Readiness calibration, measured: does the predicted pass probability come true?

Simulates a cohort of learners with known abilities per CPC domain (weights from
certifications/data/certifications.json) practising items of known difficulty,
with responses drawn from the Rasch model plus noise (a per-response wobble of
ability, partial-credit coding cases, authors' difficulty labels that are often
off by one level). Every learner practises 200 items; item difficulties are then
recalibrated from everyone's responses, abilities estimated, and each learner's
pass probability and score predicted for a 100-item exam, which is then
simulated. Reports the Brier score, a reliability table by predicted decile, the
expected calibration error (ECE) and the predicted score's mean absolute error.

The full cohort runs through `readiness.model`, the pure functions the Django
services call; a subset of learners also runs through the real Django path
(ledger rows recorded by `grading.services.graded_response_record`, readiness
updated by the `readiness` services) on a throwaway test database, and their
predictions are checked against the pure path. Last, the readiness page is timed
for a learner with 5,000 responses.

Run: .venv/bin/python benchmarks/bench_readiness.py
"""

from __future__ import annotations

import math
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readiness.model.calibrate import (  # noqa: E402
    Response,
    calibrate,
    learner_abilities,
)
from readiness.model.exam import ExamDomain, PassingRule, predict  # noqa: E402
from readiness.model.irt import (  # noqa: E402
    Gaussian,
    decay_weight,
    difficulty_prior,
    logistic,
)

LEARNERS = int(os.environ.get("BENCH_LEARNERS", 1000))
PRACTICE_ITEMS = int(os.environ.get("BENCH_PRACTICE_ITEMS", 200))
EXAM_ITEMS = 100
ITEMS_PER_DOMAIN = 60
PRACTICE_DAYS = 90
CASE_SHARE = 0.3
CASE_LINES = 4
RESPONSE_NOISE_SD = 0.3
LABEL_NOISE_SD = 0.5
ECE_TARGET = 0.05
MAE_TARGET = 5.0
DJANGO_LEARNERS = 10
RENDER_RESPONSES = 5000
RENDER_TARGET_MS = 200.0
SEED = 20261127


@dataclass
class Cohort:
    weights: dict[str, float]
    item_difficulty: dict[str, float]
    item_domain: dict[str, str]
    item_label: dict[str, str]
    item_is_case: dict[str, bool]
    abilities: list[dict[str, float]]
    practice: list[list[tuple[str, float, float]]]  # (item, score, age_days)


def cpc_weights() -> dict[str, float]:
    import json

    path = Path(__file__).resolve().parent.parent / "certifications/data"
    data = json.loads((path / "certifications.json").read_text())
    cpc = next(c for c in data["certifications"] if c["slug"] == "cpc")
    return {slug: float(weight) for slug, _, weight in cpc["domains"]}


def label_for(difficulty: float, rng: random.Random) -> str:
    seen = difficulty + rng.gauss(0, LABEL_NOISE_SD)
    if seen < -0.5:
        return "beginner"
    if seen > 0.5:
        return "advanced"
    return "intermediate"


def draw_score(theta: float, difficulty: float, lines: int, rng) -> float:
    """One response: the model's probability, with the learner's form wobbling."""
    p = logistic(theta + rng.gauss(0, RESPONSE_NOISE_SD) - difficulty)
    return sum(rng.random() < p for _ in range(lines)) / lines


def simulate_cohort(rng: random.Random) -> Cohort:
    weights = cpc_weights()
    domains = list(weights)
    item_difficulty, item_domain, item_label, item_is_case = {}, {}, {}, {}
    for domain in domains:
        for k in range(ITEMS_PER_DOMAIN):
            item = f"{domain}:{k}"
            item_difficulty[item] = rng.gauss(-0.5, 1.0)
            item_domain[item] = domain
            item_label[item] = label_for(item_difficulty[item], rng)
            item_is_case[item] = rng.random() < CASE_SHARE
    by_domain = {d: [i for i in item_domain if item_domain[i] == d] for d in domains}
    abilities, practice = [], []
    for _ in range(LEARNERS):
        general = rng.gauss(0.3, 0.9)
        theta = {d: general + rng.gauss(0, 0.5) for d in domains}
        chosen = rng.choices(domains, weights=list(weights.values()), k=PRACTICE_ITEMS)
        rows = []
        for domain in chosen:
            item = rng.choice(by_domain[domain])
            lines = CASE_LINES if item_is_case[item] else 1
            score = draw_score(theta[domain], item_difficulty[item], lines, rng)
            rows.append((item, score, rng.uniform(0, PRACTICE_DAYS)))
        abilities.append(theta)
        practice.append(rows)
    return Cohort(
        weights,
        item_difficulty,
        item_domain,
        item_label,
        item_is_case,
        abilities,
        practice,
    )


def exam_counts(weights: dict[str, float]) -> dict[str, int]:
    """Items per domain on a 100-item exam, by largest remainder."""
    total = sum(weights.values())
    exact = {d: EXAM_ITEMS * w / total for d, w in weights.items()}
    counts = {d: math.floor(x) for d, x in exact.items()}
    short = EXAM_ITEMS - sum(counts.values())
    for d in sorted(exact, key=lambda d: exact[d] - counts[d], reverse=True)[:short]:
        counts[d] += 1
    return counts


def simulate_exam(theta: dict[str, float], counts, rng) -> tuple[float, float]:
    """The learner's percent on a fresh 100-item exam, and their true expected
    percent (over exam forms)."""
    right, expected = 0, 0.0
    for domain, n in counts.items():
        for _ in range(n):
            difficulty = rng.gauss(-0.5, 1.0)
            right += draw_score(theta[domain], difficulty, 1, rng)
        expected += n * statistics.fmean(
            logistic(theta[domain] - (-0.5 + z)) for z in (-1.5, -0.5, 0, 0.5, 1.5)
        )
    return 100 * right / EXAM_ITEMS, 100 * expected / EXAM_ITEMS


def responses_of(cohort: Cohort) -> list[Response]:
    """The practice as the services see it: decayed by age relative to each
    learner's newest response."""
    responses = []
    for n, rows in enumerate(cohort.practice):
        newest = min(age for _, _, age in rows)
        responses += [
            Response(
                learner=n,
                item=item,
                domains=(cohort.item_domain[item],),
                score=score,
                weight=decay_weight(age - newest),
            )
            for item, score, age in rows
        ]
    return responses


def domain_item_distributions(
    difficulties: dict[str, Gaussian], item_domain: dict[str, str]
) -> dict[str, Gaussian]:
    """Each domain's spread of item difficulty: the calibrated means' spread plus
    their average uncertainty (shrunk means alone understate it)."""
    grouped: dict[str, list[Gaussian]] = {}
    for item, g in difficulties.items():
        grouped.setdefault(item_domain[item], []).append(g)
    result = {}
    for domain, values in grouped.items():
        means = [g.mean for g in values]
        spread = statistics.pvariance(means) + statistics.fmean(g.sd**2 for g in values)
        result[domain] = Gaussian(statistics.fmean(means), math.sqrt(spread))
    return result


def reliability(pairs: list[tuple[float, int]]) -> list[tuple[str, int, float, float]]:
    table = []
    for decile in range(10):
        low, high = decile / 10, (decile + 1) / 10
        inside = [
            (p, o) for p, o in pairs if low <= p < high or (decile == 9 and p == 1.0)
        ]
        if inside:
            table.append(
                (
                    f"{low:.1f}-{high:.1f}",
                    len(inside),
                    statistics.fmean(p for p, _ in inside),
                    statistics.fmean(o for _, o in inside),
                )
            )
    return table


def run_pure(cohort: Cohort, rng: random.Random) -> dict:
    started = time.perf_counter()
    responses = responses_of(cohort)
    priors = {
        item: difficulty_prior(label) for item, label in cohort.item_label.items()
    }
    difficulties = calibrate(responses, priors)
    abilities = learner_abilities(
        responses,
        {item: g.mean for item, g in difficulties.items()},
        list(cohort.weights),
    )
    item_spread = domain_item_distributions(difficulties, cohort.item_domain)
    rule = PassingRule("percent", 70.0)
    counts = exam_counts(cohort.weights)
    pairs, errors, true_errors, predictions = [], [], [], []
    for n, theta in enumerate(cohort.abilities):
        overall, by_domain = abilities[n]
        domains = [
            ExamDomain(slug, weight, by_domain[slug], item_spread[slug])
            for slug, weight in cohort.weights.items()
        ]
        prediction = predict(domains, rule, overall, EXAM_ITEMS)
        predictions.append(prediction)
        score, true_score = simulate_exam(theta, counts, rng)
        pairs.append((prediction.pass_probability, int(score >= rule.percent_cut)))
        errors.append(abs(prediction.predicted - score))
        true_errors.append(abs(prediction.predicted - true_score))
    table = reliability(pairs)
    ece = sum(n * abs(p - o) for _, n, p, o in table) / len(pairs)
    brier = statistics.fmean((p - o) ** 2 for p, o in pairs)
    base = statistics.fmean(o for _, o in pairs)
    return {
        "predictions": predictions,
        "difficulties": difficulties,
        "item_spread": item_spread,
        "seconds": time.perf_counter() - started,
        "table": table,
        "ece": ece,
        "brier": brier,
        "brier_base": base * (1 - base),
        "pass_rate": base,
        "mae": statistics.fmean(errors),
        "mae_true": statistics.fmean(true_errors),
        "difficulty_mae": statistics.fmean(
            abs(difficulties[i].mean - b) for i, b in cohort.item_difficulty.items()
        ),
    }


def report_pure(result: dict) -> bool:
    print(
        f"Cohort: {LEARNERS} learners x {PRACTICE_ITEMS} practice items over "
        f"{len(cpc_weights())} CPC domains, {ITEMS_PER_DOMAIN} items per domain; "
        f"simulated {EXAM_ITEMS}-item exam, pass at 70%."
    )
    print(
        "Path: the full cohort through readiness.model (the pure functions the "
        f"Django services call); {result['seconds']:.1f} s."
    )
    print(f"Observed pass rate: {100 * result['pass_rate']:.1f}%")
    print("Reliability (predicted pass probability by decile):")
    print(f"  {'decile':<9} {'learners':>8} {'predicted':>10} {'observed':>9}")
    for label, n, p, o in result["table"]:
        print(f"  {label:<9} {n:>8} {p:>10.3f} {o:>9.3f}")
    print(
        f"Brier score: {result['brier']:.4f} (always-the-base-rate: "
        f"{result['brier_base']:.4f})"
    )
    ok_ece = result["ece"] <= ECE_TARGET
    ok_mae = result["mae"] <= MAE_TARGET
    print(
        f"ECE: {result['ece']:.4f} (target <= {ECE_TARGET}) "
        f"{'OK' if ok_ece else 'MISSED'}"
    )
    print(
        f"Predicted-score MAE vs the simulated exam: {result['mae']:.2f} pp "
        f"(target <= {MAE_TARGET}) {'OK' if ok_mae else 'MISSED'}; vs the learner's "
        f"true expected score: {result['mae_true']:.2f} pp"
    )
    print(f"Item difficulty MAE after recalibration: {result['difficulty_mae']:.3f}")
    return ok_ece and ok_mae


def run_django(cohort: Cohort, pure: dict) -> bool:
    """A subset of the cohort through the ledger and the readiness services, on a
    throwaway database; then the page of a learner with 5,000 responses."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        return _django_checks(cohort, pure)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _django_checks(cohort: Cohort, pure: dict) -> bool:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.roles import Role
    from accounts.services import user_ensure
    from certifications.models import Domain
    from grading.models import GradedResponse
    from grading.signals import response_graded
    from readiness.factories import practice_response
    from readiness.models import DomainCalibration, ItemCalibration, ReadinessSnapshot
    from readiness.services import readiness_update_for_response

    # The services are called directly here; no broker is needed.
    response_graded.disconnect(dispatch_uid="readiness_queue_update")
    domains = {d.slug: d for d in Domain.objects.filter(certification__slug="cpc")}
    now = timezone.now()
    ItemCalibration.objects.bulk_create(
        ItemCalibration(
            item_type="bench_item",
            item_id=item,
            difficulty=g.mean,
            sd=g.sd,
            calibrated_at=now,
        )
        for item, g in pure["difficulties"].items()
    )
    DomainCalibration.objects.bulk_create(
        DomainCalibration(
            domain=domains[slug], difficulty_mean=g.mean, difficulty_sd=g.sd
        )
        for slug, g in pure["item_spread"].items()
    )
    differences = []
    started = time.perf_counter()
    for n in range(min(DJANGO_LEARNERS, len(cohort.practice))):
        learner, _ = user_ensure(
            email=f"bench{n}@example.test", password="x" * 20, role=Role.LEARNER
        )
        row = None
        for k, (item, score, age) in enumerate(cohort.practice[n]):
            row = practice_response(
                learner,
                attempt_ref=f"bench:{n}:{k}",
                domains=[domains[cohort.item_domain[item]]],
                points=score,
                item_type="bench_item",
                item_id=item,
                difficulty=cohort.item_label[item],
            )
            GradedResponse.objects.filter(pk=row.pk).update(
                graded_at=now - timedelta(days=age)
            )
        readiness_update_for_response(graded_response_id=row.pk)
        snapshot = ReadinessSnapshot.objects.get(learner=learner)
        expected = pure["predictions"][n]
        differences.append(
            max(
                abs(snapshot.pass_probability - expected.pass_probability),
                abs(snapshot.predicted - expected.predicted) / 100,
            )
        )
    seconds = time.perf_counter() - started
    agree = max(differences) < 1e-6
    print(
        f"Real code path: {len(differences)} learners x {PRACTICE_ITEMS} items "
        "recorded by grading.services.graded_response_record and processed by "
        "readiness.services.readiness_update_for_response on a throwaway "
        f"{connection.vendor} database ({seconds:.1f} s); largest difference from "
        f"the pure path: {max(differences):.2e} {'OK' if agree else 'MISMATCH'}"
    )
    return _render_check(domains) and agree


def _render_check(domains) -> bool:
    """Time the readiness page and the dashboard for a learner with 5,000
    responses (after their readiness update, which runs in Celery)."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from accounts.roles import Role
    from accounts.services import user_ensure
    from grading.models import GradedResponse
    from readiness.services import readiness_update_for_response

    rng = random.Random(SEED + 1)
    learner, _ = user_ensure(
        email="heavy@example.test", password="x" * 20, role=Role.LEARNER
    )
    # Inserted in bulk: only the page's speed is measured here, and the ledger
    # rows are the same as the service writes.
    now = timezone.now()
    rows = GradedResponse.objects.bulk_create(
        GradedResponse(
            learner=learner,
            source=GradedResponse.Source.EXAM_ITEM,
            item_type="bench_item",
            item_id=f"heavy:{k % 700}",
            attempt_ref=f"heavy:{k}",
            difficulty="intermediate",
            points=float(rng.random() < 0.7),
            max_points=1.0,
            policy="practice",
            graded_at=now - timedelta(minutes=20 * (RENDER_RESPONSES - k)),
        )
        for k in range(RENDER_RESPONSES)
    )
    slugs = list(domains)
    GradedResponse.domains.through.objects.bulk_create(
        GradedResponse.domains.through(
            gradedresponse_id=row.pk, domain_id=domains[rng.choice(slugs)].pk
        )
        for row in rows
    )
    row = rows[-1]
    started = time.perf_counter()
    readiness_update_for_response(graded_response_id=row.pk)
    update_ms = 1000 * (time.perf_counter() - started)
    client = Client()
    client.force_login(learner)
    timings = {}
    for name, url in (
        ("readiness page", "/readiness/cpc/"),
        ("dashboard", "/dashboard/"),
    ):
        client.get(url)
        samples = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(1000 * (time.perf_counter() - started))
            assert response.status_code == 200, response.status_code
        timings[name] = statistics.median(samples)
    ok = all(ms <= RENDER_TARGET_MS for ms in timings.values())
    print(
        f"Learner with {RENDER_RESPONSES} responses: readiness update "
        f"{update_ms:.0f} ms (runs in Celery); "
        + "; ".join(f"{name} median {ms:.1f} ms" for name, ms in timings.items())
        + f" (target <= {RENDER_TARGET_MS:.0f} ms) {'OK' if ok else 'MISSED'}"
    )
    return ok


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    print(
        f"Machine: {platform.platform()}, {cpu_name()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    rng = random.Random(SEED)
    cohort = simulate_cohort(rng)
    pure = run_pure(cohort, rng)
    ok = report_pure(pure)
    ok = run_django(cohort, pure) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Writes of item analysis: computing a scope's statistics from the grading
ledger into its snapshot, and keeping snapshots fresh.

A scope is an exam (`exam:<blueprint slug>`: one matrix row per graded attempt,
each learner's first attempt by default as Moodle does, or every graded
attempt) or the practice cases (`cases`: one row per learner, their first
submitted attempt at each case). Pages show the stored snapshot and queue a
recompute when the ledger changed since (`snapshot_refresh_if_changed`);
a periodic task (`snapshots_refresh_changed`) recomputes every scope whose data
changed, so the dashboard's flagged items follow new answers without a page
visit; a regrade marks its scopes stale (`item_analysis.receivers`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from html import unescape

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core.tasks import enqueue
from exams import selectors as exam_selectors
from exams.models import Blueprint
from grading.keys import SECTION_LABELS
from item_analysis import selectors
from item_analysis.models import ItemAnalysisSnapshot
from item_analysis.statistics import ItemSpec, analyse

STEM_EXCERPT_CHARS = 90
REQUEUE_AFTER = timedelta(minutes=10)
INSTEAD_SHOWN = 3
MISSED_STATUSES = ("missing", "omitted")
WRONG_GIVEN_STATUSES = ("extra", "invalid")


def _fraction(points: float, max_points: float) -> float | None:
    return points / max_points if max_points else None


def exam_analysis_compute(*, blueprint: Blueprint, first_attempts_only: bool) -> dict:
    """The statistics of every question of the exam's graded attempts, with each
    question's position (the most frequent), slug, stem excerpt, domains,
    options and whether it is a pretest question (analysed, but against the
    scored questions only)."""
    items = exam_selectors.graded_items_for_analysis(
        blueprint=blueprint, first_attempts_only=first_attempts_only
    )
    wanted = {item["ledger_ref"] for item in items}
    ledger = {
        ref: values
        for ref, *values in selectors.exam_ledger_rows(blueprint).values_list(
            "attempt_ref", "points", "max_points", "response", "time_spent"
        )
        if ref in wanted
    }
    positions: dict[int, Counter] = defaultdict(Counter)
    answers: dict[int, dict[int, list]] = defaultdict(dict)
    for item in items:
        if item["ledger_ref"] in ledger:
            positions[item["question_id"]][item["position"]] += 1
            answers[item["attempt_id"]][item["question_id"]] = ledger[
                item["ledger_ref"]
            ]
    questions = exam_selectors.questions_by_id(positions)
    order = sorted(
        questions,
        key=lambda pk: (positions[pk].most_common(1)[0][0], questions[pk].slug),
    )
    specs = [
        ItemSpec(
            str(pk),
            options=tuple(o.option_id for o in questions[pk].options.all())
            if questions[pk].is_choice
            else (),
            correct=frozenset(
                o.option_id for o in questions[pk].options.all() if o.correct
            ),
        )
        for pk in order
    ]
    rows = [answers[attempt_id] for attempt_id in sorted(answers)]
    analysis = analyse(
        specs,
        [
            [_fraction(*row[pk][:2]) if pk in row else None for pk in order]
            for row in rows
        ],
        choices=[
            [
                frozenset((row[pk][2] or {}).get("options", []))
                if pk in row and questions[pk].is_choice
                else None
                for pk in order
            ]
            for row in rows
        ],
        times=[[row[pk][3] if pk in row else None for pk in order] for row in rows],
        unscored={index for index, pk in enumerate(order) if questions[pk].pretest},
    )
    data = analysis.as_dict()
    for item, pk in zip(data["items"], order, strict=True):
        question = questions[pk]
        texts = {o.option_id: o.text for o in question.options.all()}
        item.update(
            label=question.slug,
            position=positions[pk].most_common(1)[0][0],
            stem=Truncator(unescape(strip_tags(question.stem))).chars(
                STEM_EXCERPT_CHARS
            ),
            domains=[domain.name for domain in question.domains.all()],
            kind=question.get_kind_display(),
            pretest=question.pretest,
        )
        for option in item["options"]:
            option["text"] = texts.get(option["option"], "")
    return {
        "title": blueprint.name,
        "slug": blueprint.slug,
        "first_attempts_only": first_attempts_only,
        **data,
    }


def _person(learner_id: int | None, former_learner: str) -> str:
    return f"learner:{learner_id}" if learner_id else f"former:{former_learner}"


def _line_analysis(results: list[dict]) -> list[dict]:
    """Per key line of a case, over its first attempts: the share exact, partial
    and missing (an optional line left out counts as missing), and the codes
    most often entered instead: the code given on a partial match, or, when the
    line is missing, the codes the attempt listed in that section that match no
    key line."""
    lines: dict[tuple, dict] = {}
    for result in results:
        given = result.get("lines", [])
        unmatched = defaultdict(list)
        for line in given:
            if line["status"] in WRONG_GIVEN_STATUSES and line["given_code"]:
                unmatched[line["section"]].append(line["given_code"])
        for line in given:
            if line["expected_index"] is None:
                continue
            key = (line["section"], line["expected_index"], line["expected_code"])
            row = lines.setdefault(
                key, {"attempts": 0, "statuses": Counter(), "instead": Counter()}
            )
            row["attempts"] += 1
            status = "missing" if line["status"] in MISSED_STATUSES else line["status"]
            row["statuses"][status] += 1
            if status == "partial" and line["given_code"] != line["expected_code"]:
                row["instead"][line["given_code"]] += 1
            elif status == "missing":
                row["instead"].update(unmatched[line["section"]])
    sections = list(SECTION_LABELS)
    return [
        {
            "section": SECTION_LABELS.get(section, section),
            "number": index + 1,
            "code": code,
            "attempts": row["attempts"],
            **{
                status: row["statuses"][status] / row["attempts"]
                for status in ("exact", "partial", "missing")
            },
            "instead": [
                {"code": given, "count": count}
                for given, count in row["instead"].most_common(INSTEAD_SHOWN)
            ],
        }
        for (section, index, code), row in sorted(
            lines.items(),
            key=lambda entry: (
                sections.index(entry[0][0]) if entry[0][0] in sections else 99,
                entry[0][1],
            ),
        )
    ]


def cases_analysis_compute() -> dict:
    """The statistics of every practice case over each learner's first
    submitted attempt at it (a deleted learner's answers still count), with the
    discrimination against the learner's mean on the other cases they
    submitted, and each case's per-line analysis."""
    first: dict[tuple[str, str], tuple] = {}
    titles: dict[str, str] = {}
    for row in (
        selectors.case_ledger_rows()
        .order_by("pk")
        .values_list(
            "learner_id",
            "former_learner",
            "item_id",
            "item_title",
            "points",
            "max_points",
            "time_spent",
            "result",
        )
    ):
        learner_id, former, case_id, title, *graded = row
        first.setdefault((_person(learner_id, former), case_id), tuple(graded))
        titles[case_id] = title or case_id
    people = sorted({person for person, _ in first})
    case_ids = sorted(titles, key=lambda pk: (titles[pk].lower(), pk))
    cells = [[first.get((person, pk)) for pk in case_ids] for person in people]
    analysis = analyse(
        [ItemSpec(pk) for pk in case_ids],
        [[_fraction(*cell[:2]) if cell else None for cell in row] for row in cells],
        times=[[cell[2] if cell else None for cell in row] for row in cells],
    )
    data = analysis.as_dict()
    for index, item in enumerate(data["items"]):
        item["label"] = titles[item["key"]]
        item["lines"] = _line_analysis(
            [row[index][3] or {} for row in cells if row[index] is not None]
        )
    return data


def analysis_compute(*, scope: str, first_attempts_only: bool) -> dict | None:
    """The statistics of `scope`, or None for an exam that no longer exists."""
    if scope == selectors.CASES_SCOPE:
        return cases_analysis_compute()
    blueprint = selectors.blueprint_of_scope(scope)
    if blueprint is None:
        return None
    return exam_analysis_compute(
        blueprint=blueprint, first_attempts_only=first_attempts_only
    )


def snapshot_recompute(
    *, scope: str, first_attempts_only: bool = True
) -> ItemAnalysisSnapshot | None:
    """Compute `scope` and store it with the fingerprint of its data. The stale
    mark is cleared before the data is read, so an answer graded meanwhile marks
    it stale again. An exam that no longer exists loses its snapshot."""
    snapshot, _ = ItemAnalysisSnapshot.objects.get_or_create(
        scope=scope, first_attempts_only=first_attempts_only
    )
    ItemAnalysisSnapshot.objects.filter(pk=snapshot.pk).update(stale=False)
    fingerprint = selectors.source_fingerprint(scope)
    data = analysis_compute(scope=scope, first_attempts_only=first_attempts_only)
    if data is None:
        snapshot.delete()
        return None
    snapshot.data, snapshot.fingerprint = data, fingerprint
    snapshot.computed_at = timezone.now()
    snapshot.stale = False
    snapshot.save(update_fields=["data", "fingerprint", "computed_at"])
    return snapshot


def snapshot_refresh_if_changed(
    *, scope: str, first_attempts_only: bool = True
) -> tuple[ItemAnalysisSnapshot, bool]:
    """The stored snapshot of `scope` (empty if never computed) and whether it
    is being updated: when it is marked stale or its data's fingerprint changed,
    a recompute is queued after commit, unless one was queued less than
    `REQUEUE_AFTER` ago and has not run yet."""
    from item_analysis.tasks import snapshot_recompute_task

    snapshot, _ = ItemAnalysisSnapshot.objects.get_or_create(
        scope=scope, first_attempts_only=first_attempts_only
    )
    current = (
        snapshot.computed_at is not None
        and not snapshot.stale
        and snapshot.fingerprint == selectors.source_fingerprint(scope)
    )
    if current:
        return snapshot, False
    if not snapshot.recompute_pending(within=REQUEUE_AFTER):
        snapshot.queued_at = timezone.now()
        snapshot.save(update_fields=["queued_at"])
        transaction.on_commit(
            lambda: enqueue(snapshot_recompute_task, scope, first_attempts_only)
        )
    return snapshot, True


def scopes_mark_stale(*, scopes: list[str]) -> int:
    """Mark the snapshots of `scopes` stale: one UPDATE, no computation."""
    return ItemAnalysisSnapshot.objects.filter(stale=False, scope__in=scopes).update(
        stale=True
    )


def exam_scopes_mark_stale() -> int:
    """Mark every exam's snapshots stale (a question's key changed)."""
    return ItemAnalysisSnapshot.objects.filter(
        stale=False, scope__startswith=selectors.exam_scope("")
    ).update(stale=True)


def snapshots_refresh_changed() -> list[str]:
    """Recompute each stored or possible first-attempt scope (every exam, and the
    cases) that is stale or whose data changed since it was computed: two small
    queries per unchanged scope. Returns the scopes recomputed."""
    stored = {
        snapshot.scope: snapshot
        for snapshot in ItemAnalysisSnapshot.objects.filter(first_attempts_only=True)
    }
    scopes = [selectors.CASES_SCOPE] + [
        selectors.exam_scope(blueprint.slug)
        for blueprint in selectors.blueprints_analysed()
    ]
    recomputed = []
    for scope in scopes:
        snapshot = stored.get(scope)
        fingerprint = selectors.source_fingerprint(scope)
        if snapshot is None and fingerprint.startswith("0@"):
            continue
        if snapshot is None or snapshot.stale or snapshot.fingerprint != fingerprint:
            snapshot_recompute(scope=scope)
            recomputed.append(scope)
    return recomputed

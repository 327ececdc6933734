"""Import question banks and blueprints from the repository's JSON format
(`coderacademy-question-bank` and `coderacademy-blueprints`, version 1; see
docs/exams.md). Importing again updates rows by slug, so it is idempotent.

What is imported is published: each new or changed question and blueprint gets a
revision and a log entry by the importing user, and goes live."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from certifications.models import Certification, Difficulty, Domain
from core.sanitize import clean_html, clean_text
from exams.models import (
    Blueprint,
    BlueprintQuestion,
    PassingKind,
    Question,
    QuestionKind,
    QuestionOption,
    ReviewPolicy,
)
from exams.models.blueprints import Selection
from grading.exceptions import GradingInputError
from grading.selectors import policy_named

BANK_FORMAT = "coderacademy-question-bank"
BLUEPRINTS_FORMAT = "coderacademy-blueprints"


class ContentError(Exception):
    """Problems found in a content file, as (where, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{where}: {message}" for where, message in errors))
        self.errors = errors


def _check_format(data, expected: str, where: str) -> None:
    if not isinstance(data, dict) or data.get("format") != expected:
        raise ContentError([(where, f"format must be {expected!r}")])
    if data.get("version") != 1:
        raise ContentError([(where, "version must be 1")])


def _question_problems(raw: dict, where: str, domains: dict) -> list:
    problems = []
    kind = raw.get("kind")
    if kind not in QuestionKind.values:
        return [(where, f"kind must be one of {', '.join(QuestionKind.values)}")]
    if raw.get("difficulty") not in Difficulty.values:
        problems.append((where, "unknown difficulty"))
    unknown = [slug for slug in raw.get("domains", []) if slug not in domains]
    if unknown or not raw.get("domains"):
        problems.append((where, f"unknown or missing domains: {unknown}"))
    if kind == QuestionKind.CODING:
        from grading.engine import SchemaError, parse_key

        if not (raw.get("scenario") or raw.get("case_slug")):
            problems.append((where, "a coding item needs a scenario or a case_slug"))
        try:
            parse_key(raw.get("key"))
        except SchemaError as error:
            problems += [(f"{where}.key.{p}", m) for p, m in error.errors]
        return problems
    options = raw.get("options") or []
    correct = sum(1 for option in options if option.get("correct"))
    ids = [option.get("id") for option in options]
    if len(set(ids)) != len(ids) or not all(ids):
        problems.append((where, "option ids must be present and unique"))
    if kind == QuestionKind.SINGLE and (len(options) != 4 or correct != 1):
        problems.append((where, "single: 4 options, exactly one correct"))
    if kind == QuestionKind.MULTIPLE and (
        not 4 <= len(options) <= 6 or correct != raw.get("choose")
    ):
        problems.append((where, "multiple: 4-6 options, `choose` of them correct"))
    return problems


# Wagtail's bookkeeping, which differs between a revision and the live row.
_NOT_CONTENT = frozenset(
    {
        "latest_revision",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _content(data: dict) -> dict:
    """`data` as its revision stores it (JSON), without the bookkeeping."""
    stored = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return {name: value for name, value in stored.items() if name not in _NOT_CONTENT}


def _publish(instance, *, user) -> None:
    """Publish `instance` as a new revision by `user`, unless its latest revision
    already holds this content."""
    latest = instance.latest_revision
    if latest is not None and _content(latest.content) == _content(
        instance.serializable_data()
    ):
        return
    # The import is the command line's authority; its user is recorded, not checked.
    instance.save_revision(user=user, log_action=True).publish(
        user=user, skip_permission_checks=True
    )


@transaction.atomic
def bank_import(data: dict, *, where: str = "bank", user=None) -> int:
    """Create or update every question of a bank; returns how many."""
    _check_format(data, BANK_FORMAT, where)
    domains = {d.slug: d for d in Domain.objects.all()}
    certifications = {c.slug: c for c in Certification.objects.all()}
    problems = []
    questions = data.get("questions") or []
    for index, raw in enumerate(questions):
        at = f"{where}.questions[{index}] ({raw.get('slug')})"
        if raw.get("certification") not in certifications or not raw.get("slug"):
            problems.append((at, "unknown certification or missing slug"))
        problems += _question_problems(raw, at, domains)
    if problems:
        raise ContentError(problems)
    for raw in questions:
        question, _ = Question.objects.update_or_create(
            slug=raw["slug"],
            defaults={
                "kind": raw["kind"],
                "certification": certifications[raw["certification"]],
                "difficulty": raw["difficulty"],
                "stem": clean_html(raw["stem"]),
                "choose": raw.get("choose", 1),
                "scenario": clean_html(raw.get("scenario", "")),
                "case_slug": raw.get("case_slug", ""),
                "key": raw.get("key") or {},
                "reference": clean_text(raw.get("reference", ""))[:500],
                "pretest": bool(raw.get("pretest")),
            },
        )
        question.domains.set([domains[slug] for slug in raw["domains"]])
        question.save()
        _options_replace(question, raw.get("options") or [])
        _publish(Question.objects.get(pk=question.pk), user=user)
    return len(questions)


def _options_replace(question: Question, options: list[dict]) -> None:
    current = {o.option_id: o for o in question.options.all()}
    for order, raw in enumerate(options):
        QuestionOption.objects.update_or_create(
            question=question,
            option_id=raw["id"],
            defaults={
                "text": clean_text(raw["text"])[:500],
                "correct": bool(raw.get("correct")),
                "rationale": clean_text(raw.get("rationale", "")),
                "sort_order": order,
            },
        )
        current.pop(raw["id"], None)
    QuestionOption.objects.filter(pk__in=[o.pk for o in current.values()]).delete()


def _blueprint_problems(raw: dict, where: str, known: set, domains: dict) -> list:
    problems = []
    rule = raw.get("passing_rule") or {}
    if rule.get("kind") not in PassingKind.values or "cut" not in rule:
        problems.append((where, "passing_rule needs kind percent|scaled and a cut"))
    if raw.get("selection") not in Selection.values:
        problems.append((where, "selection must be fixed or random"))
    if raw.get("review_policy") not in ReviewPolicy.values:
        problems.append((where, "unknown review_policy"))
    limit = raw.get("time_limit_minutes", raw.get("time_limit_seconds"))
    if not isinstance(limit, int) or limit <= 0:
        problems.append((where, "time_limit_minutes must be a whole number"))
    missing = [slug for slug in raw.get("question_slugs", []) if slug not in known]
    if missing:
        problems.append((where, f"unknown question slugs: {missing}"))
    bad = [slug for slug in raw.get("questions_per_domain", {}) if slug not in domains]
    if bad:
        problems.append((where, f"unknown domains: {bad}"))
    try:
        policy_named(raw.get("policy", "exam"))
    except GradingInputError as error:
        problems += [(f"{where}.policy", message) for _, message in error.errors]
    return problems


@transaction.atomic
def blueprints_import(data: dict, *, where: str = "blueprints", user=None) -> int:
    """Create or update every blueprint; returns how many."""
    _check_format(data, BLUEPRINTS_FORMAT, where)
    certifications = {c.slug: c for c in Certification.objects.all()}
    domains = set(Domain.objects.values_list("slug", flat=True))
    questions = {q.slug: q for q in Question.objects.all()}
    blueprints = data.get("blueprints") or []
    problems = []
    for index, raw in enumerate(blueprints):
        at = f"{where}.blueprints[{index}] ({raw.get('slug')})"
        if raw.get("certification") not in certifications or not raw.get("slug"):
            problems.append((at, "unknown certification or missing slug"))
        problems += _blueprint_problems(raw, at, set(questions), domains)
    if problems:
        raise ContentError(problems)
    for raw in blueprints:
        rule = raw["passing_rule"]
        seconds = raw.get("time_limit_seconds") or raw["time_limit_minutes"] * 60
        blueprint, _ = Blueprint.objects.update_or_create(
            slug=raw["slug"],
            defaults={
                "name": raw["name"],
                "description": clean_text(raw.get("description", "")),
                "certification": certifications[raw["certification"]],
                "time_limit_seconds": seconds,
                "passing_kind": rule["kind"],
                "passing_cut": rule["cut"],
                "scaled_min": rule.get("min", 100),
                "scaled_max": rule.get("max", 400),
                "selection": raw["selection"],
                "questions_per_domain": raw.get("questions_per_domain") or {},
                "shuffle_options": bool(raw.get("shuffle_options", True)),
                "attempts_allowed": raw.get("attempts_allowed", 3),
                "review_policy": raw["review_policy"],
                "grading_policy": raw.get("policy", "exam"),
            },
        )
        BlueprintQuestion.objects.filter(blueprint=blueprint).delete()
        BlueprintQuestion.objects.bulk_create(
            BlueprintQuestion(
                blueprint=blueprint, question=questions[slug], sort_order=n
            )
            for n, slug in enumerate(raw.get("question_slugs", []))
        )
        _publish(Blueprint.objects.get(pk=blueprint.pk), user=user)
    return len(blueprints)


def content_import(folder: Path, *, user=None) -> tuple[int, int]:
    """Import `folder`/questions/*.json then `folder`/blueprints.json as `user`."""
    count = 0
    for path in sorted((folder / "questions").glob("*.json")):
        count += bank_import(
            json.loads(path.read_text("utf-8")), where=path.name, user=user
        )
    blueprints = folder / "blueprints.json"
    n_blueprints = 0
    if blueprints.exists():
        n_blueprints = blueprints_import(
            json.loads(blueprints.read_text("utf-8")), where=blueprints.name, user=user
        )
    return count, n_blueprints

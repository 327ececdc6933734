"""Import question banks and blueprints from the repository's JSON formats
(`coderacademy-question-bank` and `coderacademy-blueprints`, version 1, described
in exams.formats; see docs/exams.md). Each import is all or nothing, and importing
again updates rows by slug, so it is idempotent.

What is imported is published: each new or changed question and blueprint gets a
revision and a log entry by the importing user, and goes live."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from certifications.models import Certification, Domain
from core.imports import (
    ImportRefused,
    file_read,
    file_validate,
    parse_dotted_path,
    problems_at,
    unknown_slugs,
)
from core.sanitize import clean_html, clean_text
from exams.formats import Blueprints, CodingQuestion, QuestionBank
from exams.models import Blueprint, BlueprintQuestion, Question, QuestionOption
from grading.engine import SchemaError, parse_key
from grading.exceptions import GradingInputError
from grading.selectors import policy_named


def bank_validate(data, *, file: str = "bank") -> QuestionBank:
    """The bank, or `ImportRefused` naming every problem: the format's
    (exams.formats), then unknown slugs and each coding item's key."""
    bank = file_validate(QuestionBank, data, file=file)
    certifications = set(Certification.objects.values_list("slug", flat=True))
    domains = set(Domain.objects.values_list("slug", flat=True))
    errors = []
    for index, question in enumerate(bank.questions):
        at = ("questions", index)
        if message := unknown_slugs([question.certification], certifications):
            errors.append(((*at, "certification"), message))
        if message := unknown_slugs(question.domains, domains):
            errors.append(((*at, "domains"), message))
        if isinstance(question, CodingQuestion):
            try:
                parse_key(question.key)
            except SchemaError as error:
                errors += [
                    ((*at, "key", *parse_dotted_path(path)), message)
                    for path, message in error.errors
                ]
    if errors:
        raise ImportRefused(problems_at(file, data, errors))
    return bank


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
def bank_import(data, *, file: str = "bank", user=None) -> int:
    """Create or update every question of a bank, all or none; returns how many."""
    return _bank_save(bank_validate(data, file=file), user=user)


def _bank_save(bank: QuestionBank, *, user) -> int:
    domains = {d.slug: d for d in Domain.objects.all()}
    certifications = {c.slug: c for c in Certification.objects.all()}
    for item in bank.questions:
        coding = isinstance(item, CodingQuestion)
        question, _ = Question.objects.update_or_create(
            slug=item.slug,
            defaults={
                "kind": item.kind,
                "certification": certifications[item.certification],
                "difficulty": item.difficulty,
                "stem": clean_html(item.stem),
                "choose": getattr(item, "choose", 1),
                "scenario": clean_html(item.scenario) if coding else "",
                "case_slug": item.case_slug if coding else "",
                "key": item.key if coding else {},
                "reference": clean_text(item.reference)[:500],
                "pretest": item.pretest,
            },
        )
        question.domains.set([domains[slug] for slug in item.domains])
        question.save()
        _options_replace(question, [] if coding else item.options)
        _publish(Question.objects.get(pk=question.pk), user=user)
    return len(bank.questions)


def _options_replace(question: Question, options) -> None:
    current = {o.option_id: o for o in question.options.all()}
    for order, option in enumerate(options):
        QuestionOption.objects.update_or_create(
            question=question,
            option_id=option.id,
            defaults={
                "text": clean_text(option.text)[:500],
                "correct": option.correct,
                "rationale": clean_text(option.rationale),
                "sort_order": order,
            },
        )
        current.pop(option.id, None)
    QuestionOption.objects.filter(pk__in=[o.pk for o in current.values()]).delete()


def blueprints_validate(
    data, *, file: str = "blueprints", question_slugs: set[str] = frozenset()
) -> Blueprints:
    """The blueprints, or `ImportRefused` naming every problem: the format's
    (exams.formats), then unknown slugs (questions in the database or in
    `question_slugs`, being imported with them) and grading policies."""
    blueprints = file_validate(Blueprints, data, file=file)
    certifications = set(Certification.objects.values_list("slug", flat=True))
    domains = set(Domain.objects.values_list("slug", flat=True))
    questions = set(Question.objects.values_list("slug", flat=True)) | question_slugs
    errors = []
    for index, blueprint in enumerate(blueprints.blueprints):
        at = ("blueprints", index)
        for name, slugs, known in (
            ("certification", [blueprint.certification], certifications),
            ("question_slugs", blueprint.question_slugs, questions),
            ("questions_per_domain", blueprint.questions_per_domain, domains),
        ):
            if message := unknown_slugs(slugs, known):
                errors.append(((*at, name), message))
        try:
            policy_named(blueprint.policy)
        except GradingInputError as error:
            errors += [((*at, "policy"), message) for _, message in error.errors]
    if errors:
        raise ImportRefused(problems_at(file, data, errors))
    return blueprints


@transaction.atomic
def blueprints_import(data, *, file: str = "blueprints", user=None) -> int:
    """Create or update every blueprint, all or none; returns how many."""
    return _blueprints_save(blueprints_validate(data, file=file), user=user)


def _blueprints_save(blueprints: Blueprints, *, user) -> int:
    certifications = {c.slug: c for c in Certification.objects.all()}
    questions = {q.slug: q for q in Question.objects.all()}
    for item in blueprints.blueprints:
        rule = item.passing_rule
        blueprint, _ = Blueprint.objects.update_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "description": clean_text(item.description),
                "certification": certifications[item.certification],
                "time_limit_seconds": item.seconds,
                "passing_kind": rule.kind,
                "passing_cut": rule.cut,
                "scaled_min": rule.min,
                "scaled_max": rule.max,
                "selection": item.selection,
                "questions_per_domain": item.questions_per_domain,
                "shuffle_options": item.shuffle_options,
                "attempts_allowed": item.attempts_allowed,
                "review_policy": item.review_policy,
                "grading_policy": item.policy,
            },
        )
        BlueprintQuestion.objects.filter(blueprint=blueprint).delete()
        BlueprintQuestion.objects.bulk_create(
            BlueprintQuestion(
                blueprint=blueprint, question=questions[slug], sort_order=n
            )
            for n, slug in enumerate(item.question_slugs)
        )
        _publish(Blueprint.objects.get(pk=blueprint.pk), user=user)
    return len(blueprints.blueprints)


@transaction.atomic
def content_import(folder: Path, *, user=None) -> tuple[int, int]:
    """Import `folder`/questions/*.json then `folder`/blueprints.json as `user`:
    every file is checked first, and nothing is written if any has a problem."""
    banks, problems = [], []
    for path in sorted((folder / "questions").glob("*.json")):
        try:
            banks.append(bank_validate(file_read(path), file=path.name))
        except ImportRefused as error:
            problems += error.problems
    blueprints = None
    path = folder / "blueprints.json"
    if path.exists():
        slugs = {question.slug for bank in banks for question in bank.questions}
        try:
            blueprints = blueprints_validate(
                file_read(path), file=path.name, question_slugs=slugs
            )
        except ImportRefused as error:
            problems += error.problems
    if problems:
        raise ImportRefused(problems)
    count = sum(_bank_save(bank, user=user) for bank in banks)
    return count, _blueprints_save(blueprints, user=user) if blueprints else 0

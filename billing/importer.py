"""Scenario files (billing/demo/scenarios/*.json, docs/billing.md) into the billing
library: validated whole, then published."""

from __future__ import annotations

from django.db import transaction

from billing.engine.scenario import Scenario
from billing.models import BillingLibraryPage, BillingScenarioPage
from certifications.models import Certification, Domain
from core.imports import ImportProblem, ImportRefused, file_validate
from core.sanitize import clean_html

NO_LIBRARY = "There is no billing library page to import into: run migrate first."
UNKNOWN = "unknown {what}: {names}"


def scenario_validate(data, *, file: str) -> Scenario:
    """`data` as a scenario whose codes, NPIs, payers, key and expected edits hold
    up, or `ImportRefused` naming every problem."""
    from billing.checks import scenario_problems

    scenario = file_validate(Scenario, data, file=file)
    problems = [ImportProblem(file, "", p) for p in scenario_problems(scenario)]
    known_exams = set(Certification.objects.values_list("slug", flat=True))
    known_domains = set(Domain.objects.values_list("slug", flat=True))
    for field, known in (("exams", known_exams), ("domains", known_domains)):
        if unknown := sorted(set(getattr(scenario, field)) - known):
            message = UNKNOWN.format(what=field, names=", ".join(unknown))
            problems.append(ImportProblem(file, field, message))
    if problems:
        raise ImportRefused(problems)
    return scenario


def _fill(page: BillingScenarioPage, scenario: Scenario) -> None:
    data = scenario.model_dump(mode="json")
    page.title = scenario.title
    page.kind = scenario.kind
    page.summary = scenario.summary
    page.difficulty = scenario.difficulty
    page.case_slug = scenario.case
    page.brief = clean_html(scenario.brief)
    page.registration = data["registration"]
    page.claim = data["claim"]
    page.claim_key = data["claim_key"]
    page.expected_edits = data["expected_edits"]
    page.appeal_rubric = data["appeal_rubric"]


@transaction.atomic
def scenario_import(data, *, file: str, user=None) -> str:
    """Create or update the scenario under the billing library and publish it;
    nothing is written when it does not validate. Returns "created", "updated"
    or "unchanged"."""
    library = BillingLibraryPage.objects.first()
    if library is None:
        raise ImportRefused([ImportProblem(file, "", NO_LIBRARY)])
    scenario = scenario_validate(data, file=file)
    page = BillingScenarioPage.objects.child_of(library).filter(slug=scenario.slug)
    page = page.first()
    if page is not None and _unchanged(page, scenario):
        return "unchanged"
    outcome = "updated"
    if page is None:
        page = BillingScenarioPage(slug=scenario.slug)
        _fill(page, scenario)
        library.add_child(instance=page)
        outcome = "created"
    else:
        _fill(page, scenario)
    page.exams.set(Certification.objects.filter(slug__in=scenario.exams))
    page.domains.set(Domain.objects.filter(slug__in=scenario.domains))
    # The import is the command line's authority; its user is recorded, not checked.
    page.save_revision(user=user, log_action=True).publish(
        user=user, skip_permission_checks=True
    )
    return outcome


def _unchanged(page: BillingScenarioPage, scenario: Scenario) -> bool:
    relations = {"exams", "domains"}
    stored = page.scenario().model_dump(mode="json", exclude=relations)
    wanted = scenario.model_copy(update={"brief": clean_html(scenario.brief)})
    return (
        stored == wanted.model_dump(mode="json", exclude=relations)
        and set(page.exams.values_list("slug", flat=True)) == set(scenario.exams)
        and set(page.domains.values_list("slug", flat=True)) == set(scenario.domains)
    )

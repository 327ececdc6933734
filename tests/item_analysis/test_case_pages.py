"""The practice cases' item analysis over HTTP: attempts submitted through the
case studies services, first attempts only, and per key line."""

import re

import pytest

from accounts.roles import Role
from grading.models import GradedResponse
from item_analysis.statistics import ItemSpec, analyse
from tests.item_analysis.conftest import submit_case
from tests.item_analysis.test_exam_pages import computed_page
from tests.support.accounts import make_user

OFFICE = "test-office-diabetes"


def office(*codes: str) -> dict:
    """An answer to the office case: `codes` and a 99214 pointing at each."""
    return {
        "diagnoses": [{"code": code} for code in codes],
        "service_lines": [
            {"code": "99214", "units": 1, "pointers": list(range(1, len(codes) + 1))}
        ],
    }


# Each learner's first attempt at the office case (key: E11.65, E78.5, 99214).
OFFICE_ANSWERS = [
    office("E11.65", "E78.5"),
    office("E11.9", "E78.5"),
    office("E11.65"),
    office("E78.5", "E87.6"),
    office("E11.9"),
]
# The inpatient case (key: E10.10, E87.6; 0DTJ4ZZ), by the first four only.
INPATIENT_ANSWERS = [
    {
        "diagnoses": [{"code": "E10.10"}, {"code": "E87.6"}],
        "procedures": [{"code": "0DTJ4ZZ"}],
    },
    {"diagnoses": [{"code": "E10.10"}], "procedures": [{"code": "0DTJ0ZZ"}]},
    {
        "diagnoses": [{"code": "E10.10"}, {"code": "E87.6"}],
        "procedures": [{"code": "0DTJ4ZZ"}],
    },
    {"diagnoses": [{"code": "E87.6"}], "procedures": [{"code": "0DTJ0ZZ"}]},
]


@pytest.fixture
def submitted(cases):
    """First attempts as planned, then a perfect second attempt by the second
    learner at the office case, which the analysis leaves out."""
    office = cases[OFFICE]
    inpatient = next(case for slug, case in cases.items() if slug != OFFICE)
    learners = [
        make_user(f"ia-case-{index}@example.test", Role.LEARNER)
        for index in range(len(OFFICE_ANSWERS))
    ]
    for learner, answer in zip(learners, OFFICE_ANSWERS, strict=True):
        submit_case(learner, office, answer)
    for learner, answer in zip(learners, INPATIENT_ANSWERS, strict=False):
        submit_case(learner, inpatient, answer)
    submit_case(learners[1], office, OFFICE_ANSWERS[0])
    return {"office": office, "inpatient": inpatient, "learners": learners}


def first_fractions(case, learners) -> list[float | None]:
    """The ledger's fraction of each learner's first attempt at `case`."""
    fractions = []
    for learner in learners:
        row = (
            GradedResponse.objects.filter(
                learner=learner,
                source=GradedResponse.Source.PRACTICE_CASE,
                item_id=str(case.pk),
            )
            .order_by("pk")
            .first()
        )
        fractions.append(row.points / row.max_points if row else None)
    return fractions


def test_cases_page_shows_first_attempts_against_the_other_cases(
    instructor_client, submitted, django_capture_on_commit_callbacks, settings
):
    html = computed_page(
        instructor_client,
        django_capture_on_commit_callbacks,
        settings,
        "/item-analysis/cases/",
    )
    cases = [submitted["inpatient"], submitted["office"]]
    cases.sort(key=lambda case: case.title.lower())
    columns = [first_fractions(case, submitted["learners"]) for case in cases]
    expected = analyse(
        [ItemSpec(str(case.pk)) for case in cases],
        [list(row) for row in zip(*columns, strict=True)],
    )
    for case, item in zip(cases, expected.items, strict=True):
        chunk = html.split(f'data-case="{case.pk}"', 1)[1].split("</tr>", 1)[0]
        shown = dict(re.findall(r'data-stat="(\w+)">([^<]*)<', chunk))
        assert float(shown["facility"]) == pytest.approx(item.facility, abs=5e-4)
        assert float(shown["point_biserial"]) == pytest.approx(
            item.point_biserial, abs=5e-4
        )
        assert f"<td>{item.responses}</td>" in chunk
    # The office case: five first attempts (the retake left out); its
    # discrimination uses the four learners who also submitted the other case.
    assert expected.items[cases.index(submitted["office"])].responses == 5


def test_case_page_analyses_each_key_line(
    instructor_client, submitted, django_capture_on_commit_callbacks, settings
):
    url = f"/item-analysis/cases/{submitted['office'].pk}/"
    html = computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, url
    )
    line = html.split('data-line="E11.65"', 1)[1].split("</tr>", 1)[0]
    stats = dict(re.findall(r'data-stat="(\w+)">(.*?)</td>', line))
    # Exact for the first and third learners, partial (E11.9) for the second
    # and fifth, missing for the fourth, who listed E87.6 instead.
    assert (stats["exact"], stats["partial"], stats["missing"]) == (
        "0.400",
        "0.400",
        "0.200",
    )
    assert "<code>E11.9</code> ×2" in stats["instead"]
    assert "<code>E87.6</code> ×1" in stats["instead"]
    assert 'data-line="E78.5"' in html and 'data-line="99214"' in html


def test_an_unknown_case_is_not_found(
    instructor_client, submitted, django_capture_on_commit_callbacks, settings
):
    computed_page(
        instructor_client,
        django_capture_on_commit_callbacks,
        settings,
        "/item-analysis/cases/",
    )
    assert instructor_client.get("/item-analysis/cases/999999/").status_code == 404


def test_a_submitted_case_is_in_the_cases_page_at_its_next_visit(
    instructor_client, submitted, django_capture_on_commit_callbacks, settings
):
    from item_analysis.models import ItemAnalysisSnapshot
    from item_analysis.selectors import source_fingerprint

    computed_page(
        instructor_client,
        django_capture_on_commit_callbacks,
        settings,
        "/item-analysis/cases/",
    )
    before = ItemAnalysisSnapshot.objects.get(scope="cases").fingerprint
    with django_capture_on_commit_callbacks(execute=True):
        submit_case(
            submitted["learners"][4], submitted["inpatient"], INPATIENT_ANSWERS[0]
        )
    computed_page(
        instructor_client,
        django_capture_on_commit_callbacks,
        settings,
        "/item-analysis/cases/",
    )
    after = ItemAnalysisSnapshot.objects.get(scope="cases").fingerprint
    assert after != before
    assert after == source_fingerprint("cases")

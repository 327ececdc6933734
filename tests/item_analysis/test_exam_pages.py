"""The exam item analysis over HTTP: attempts graded through the exam services,
the snapshot computed by the Celery task (run eagerly), and the page's numbers
checked against the statistics module on the same answers."""

import re

import pytest

from item_analysis.models import ItemAnalysisSnapshot
from item_analysis.statistics import (
    DISTRACTOR_BEATS_KEY_REASON,
    ItemSpec,
    analyse,
)
from tests.item_analysis.conftest import (
    KEYS,
    OPTIONS,
    PLAN,
    QUESTIONS,
    RETAKE,
    seconds_spent,
    take_exam,
)
from tests.support.accounts import make_user

EXAM_URL = "/item-analysis/exams/test-cpc/"


def expected_analysis(plans):
    """The statistics module on the answers as planned: a question scores 1
    when the options chosen are exactly its key (the exam policy is all or
    nothing)."""
    specs = [
        ItemSpec(slug, options=OPTIONS, correct=frozenset(KEYS[slug]))
        for slug in QUESTIONS
    ]
    scores = [[float(set(p[slug]) == KEYS[slug]) for slug in QUESTIONS] for p in plans]
    choices = [[frozenset(p[slug]) for slug in QUESTIONS] for p in plans]
    times = [
        [seconds_spent(index, q) for q in range(len(QUESTIONS))]
        for index in range(len(plans))
    ]
    return analyse(specs, scores, choices=choices, times=times, unscored={3})


def computed_page(client, django_capture_on_commit_callbacks, settings, url):
    """The page once its snapshot is computed: the first visit queues the
    task (run eagerly after commit) and says it is updating."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = client.get(url)
    assert first.status_code == 200
    assert "updating" in first.content.decode().lower()
    assert callbacks
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def row_stats(html: str, slug: str) -> dict[str, str]:
    chunk = html.split(f'data-question="{slug}"', 1)[1].split("data-question=", 1)[0]
    return dict(re.findall(r'data-stat="(\w+)">([^<]*)<', chunk))


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1).split()[0]


def test_exam_page_shows_the_statistics_of_first_attempts(
    instructor_client, graded_exam, django_capture_on_commit_callbacks, settings
):
    html = computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    expected = expected_analysis(PLAN)
    assert "Updating" not in html
    for slug, item in zip(QUESTIONS, expected.items, strict=True):
        shown = row_stats(html, slug)
        for name in ("facility", "sd", "point_biserial", "discrimination_index"):
            assert float(shown[name]) == pytest.approx(getattr(item, name), abs=5e-4)
        assert shown["median_time"] == f"{item.median_time:.1f} s"
    assert figure(html, "learners") == "10"
    assert figure(html, "alpha") == f"{expected.test.alpha:.3f}"
    assert figure(html, "sem") == f"{expected.test.sem:.3f}"
    # t-icd-1 runs against the rest: flagged, with the distractor named.
    assert row_stats(html, "t-icd-1")["point_biserial"].startswith("-")
    reason = DISTRACTOR_BEATS_KEY_REASON.format(
        option="b", share=2 / 3, key_share=1 / 3
    )
    assert reason.replace("'", "&#x27;") in html
    assert "pretest" in html.split('data-question="t-pretest-1"', 1)[1][:400]


def test_every_attempt_counts_on_request(
    instructor_client, graded_exam, django_capture_on_commit_callbacks, settings
):
    html = computed_page(
        instructor_client,
        django_capture_on_commit_callbacks,
        settings,
        EXAM_URL + "?attempts=all",
    )
    expected = expected_analysis([*PLAN, RETAKE])
    assert figure(html, "learners") == "11"
    assert row_stats(html, "t-em-1")["facility"] == f"{expected.items[0].facility:.3f}"
    assert ItemAnalysisSnapshot.objects.filter(first_attempts_only=False).count() == 1


def test_distractor_table_marks_the_key(
    instructor_client, graded_exam, django_capture_on_commit_callbacks, settings
):
    html = computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    chunk = html.split('data-question="t-icd-1"', 1)[1].split("data-question=", 1)[0]
    key_row = chunk.split('data-option="a"', 1)[1].split("</tr>", 1)[0]
    distractor_row = chunk.split('data-option="b"', 1)[1].split("</tr>", 1)[0]
    assert "E11.9" in key_row and ">key<" in key_row
    # 3 of 10 chose b; two of the upper group's three (totals: the one learner
    # with 3, then the first two with 2 in attempt order), none of the lower
    # group's.
    assert re.findall(r"<td>([^<]*)</td>", distractor_row) == [
        "0.300",
        "0.667",
        "0.000",
    ]


def test_a_new_graded_answer_updates_the_page_and_costs_grading_no_query(
    instructor_client,
    graded_exam,
    cpc_exam,
    django_capture_on_commit_callbacks,
    settings,
):
    computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    newcomer = make_user("ia-newcomer@example.test", "Learner")
    with django_capture_on_commit_callbacks(execute=True):
        take_exam(newcomer, cpc_exam, RETAKE, 10)
    # Grading recorded the answers without touching the snapshot.
    assert not ItemAnalysisSnapshot.objects.get(scope="exam:test-cpc").stale
    html = computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    assert figure(html, "learners") == "11"


def test_the_periodic_refresh_recomputes_only_what_changed(
    graded_exam, cpc_exam, settings
):
    from item_analysis.tasks import snapshots_refresh_task

    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert snapshots_refresh_task.delay().get() == ["exam:test-cpc"]
    assert snapshots_refresh_task.delay().get() == []
    take_exam(make_user("ia-late@example.test", "Learner"), cpc_exam, RETAKE, 10)
    assert snapshots_refresh_task.delay().get() == ["exam:test-cpc"]
    snapshot = ItemAnalysisSnapshot.objects.get(scope="exam:test-cpc")
    assert snapshot.data["test"]["learners"] == 11


def test_a_changed_fingerprint_alone_queues_a_recompute(
    instructor_client, graded_exam, django_capture_on_commit_callbacks, settings
):
    """Answers recorded while the receiver is not connected (another process
    that missed the signal) are still noticed by the fingerprint."""
    computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    ItemAnalysisSnapshot.objects.update(fingerprint="0@-", stale=False)
    html = computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    assert figure(html, "learners") == "10"


def test_a_queued_recompute_is_not_queued_again_at_once(
    instructor_client, graded_exam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        instructor_client.get(EXAM_URL)
    with django_capture_on_commit_callbacks() as second:
        page = instructor_client.get(EXAM_URL)
    assert (len(first), len(second)) == (1, 0)
    assert "Updating" in page.content.decode()


def test_index_lists_every_exam_with_its_figures(
    instructor_client, graded_exam, django_capture_on_commit_callbacks, settings
):
    html = computed_page(
        instructor_client,
        django_capture_on_commit_callbacks,
        settings,
        "/item-analysis/",
    )
    expected = expected_analysis(PLAN)
    row = html.split("Test CPC exam", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>([^<]*)</td>", row) == [
        "10",
        f"{expected.test.alpha:.3f}",
        f"{expected.test.sem:.3f}",
        str(sum(item.flagged for item in expected.items)),
    ]
    assert "Test short exam" in html and "Test CCS exam" in html


@pytest.mark.parametrize(
    "url",
    [
        "/item-analysis/",
        EXAM_URL,
        "/item-analysis/cases/",
        "/item-analysis/cases/1/",
    ],
)
def test_learners_are_refused(learner_client, cpc_exam, url):
    assert learner_client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/item-analysis/", EXAM_URL])
def test_anonymous_visitors_are_sent_to_sign_in(client, cpc_exam, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_exam_is_not_found(instructor_client, cpc_exam):
    assert (
        instructor_client.get("/item-analysis/exams/no-such-exam/").status_code == 404
    )


def test_the_dashboard_lists_flagged_items_for_instructors_only(
    instructor_client,
    graded_exam,
    django_capture_on_commit_callbacks,
    settings,
    client,
):
    computed_page(
        instructor_client, django_capture_on_commit_callbacks, settings, EXAM_URL
    )
    html = instructor_client.get("/dashboard/").content.decode()
    panel = html.split('id="item-analysis-panel-heading"', 1)[1].split("</section>")[0]
    question_id = ItemAnalysisSnapshot.objects.get(scope="exam:test-cpc").data["items"][
        1
    ]["key"]
    assert f'href="{EXAM_URL}#item-{question_id}">t-icd-1</a>' in panel
    assert "Negative discrimination" in panel
    assert "t-em-1" not in panel
    learner = graded_exam[0]
    client.force_login(learner)
    assert (
        "item-analysis-panel-heading" not in client.get("/dashboard/").content.decode()
    )


def test_the_dashboard_panel_is_absent_with_nothing_flagged(instructor_client, db):
    html = instructor_client.get("/dashboard/").content.decode()
    assert "item-analysis-panel-heading" not in html


def test_a_regrade_of_a_question_marks_every_exam_stale(
    graded_exam, cpc_exam, django_capture_on_commit_callbacks
):
    from grading.items import ItemRef
    from grading.signals import responses_regraded
    from item_analysis.services import snapshot_recompute

    for scope in ("exam:test-cpc", "exam:test-short", "cases"):
        snapshot_recompute(scope=scope)
    question = cpc_exam.questions.first().question
    with django_capture_on_commit_callbacks(execute=True):
        responses_regraded.send(
            sender=None,
            item=ItemRef.exam_question(question.pk),
            graded_response_ids=[],
            reason="key changed",
        )
    stale = dict(ItemAnalysisSnapshot.objects.values_list("scope", "stale"))
    assert stale == {"exam:test-cpc": True, "exam:test-short": True, "cases": False}


def test_administrators_see_the_analysis(administrator_client, cpc_exam):
    assert administrator_client.get("/item-analysis/").status_code == 200
    assert administrator_client.get(EXAM_URL).status_code == 200

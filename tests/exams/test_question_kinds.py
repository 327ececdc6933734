"""The exam pages branch on the question's kind and the blueprint's passing
rule by their choices: a "choose N" question is checkboxes, a single answer
radio buttons, and a scaled rule is stated as a scaled score."""

from django.urls import reverse

from exams.models import QuestionKind
from tests.exams.test_pages import question_url, start

CHECKBOX = '<input type="checkbox" name="options"'
RADIO = '<input type="radio" name="options"'


def test_each_choice_question_is_asked_the_way_its_kind_answers(learner_client, cpc):
    attempt = start(learner_client)
    kinds = set()
    for item in attempt.items.select_related("question"):
        page = learner_client.get(question_url(attempt, item.position))
        html = page.content.decode()
        kind = item.question.kind
        kinds.add(kind)
        if kind == QuestionKind.MULTIPLE:
            assert f"Choose {item.question.choose}." in html
            assert CHECKBOX in html and RADIO not in html
        else:
            assert "Choose one." in html
            assert RADIO in html and CHECKBOX not in html
    assert kinds == {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


def test_a_scaled_rule_is_stated_as_a_scaled_score(learner_client, exams):
    page = learner_client.get(reverse("exams:start", args=["test-ccs"]))
    assert "a scaled score of 300 on 100–400" in page.content.decode()
    page = learner_client.get(reverse("exams:start", args=["test-cpc"]))
    assert "70% correct" in page.content.decode()

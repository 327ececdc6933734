"""Learners join a class by its link or its code, or by logging in with an invited
address; closed, unknown and instructor joins are refused with a message."""

from urllib.parse import quote

from django.urls import reverse

from cohorts import services, views
from cohorts.models import Invitation, Membership
from tests.support.accounts import PASSWORD


def join_url(cohort):
    return reverse("cohorts:join", args=[cohort.join_code])


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client, cohort):
    response = client.get(join_url(cohort))
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={quote(join_url(cohort))}"


def test_the_link_asks_to_confirm_then_joins_once(learner_client, learner, cohort):
    page = learner_client.get(join_url(cohort)).content.decode()
    assert "Join CPC spring taught by instructor@example.test?" in page
    assert not Membership.objects.exists()
    learner_client.post(join_url(cohort))
    response = learner_client.post(join_url(cohort))
    assert response.status_code == 200 and "You are in CPC spring" in (
        response.content.decode()
    )
    assert Membership.objects.filter(cohort=cohort, learner=learner).count() == 1


def test_joining_by_typing_the_code(learner_client, learner, cohort):
    typed = f" {cohort.join_code.lower()} "
    response = learner_client.get(reverse("cohorts:join_by_code"), {"code": typed})
    assert response.url == join_url(cohort)
    learner_client.post(response.url)
    assert Membership.objects.filter(cohort=cohort, learner=learner).exists()


def test_an_unknown_code_is_a_404_with_a_message(learner_client):
    response = learner_client.get(reverse("cohorts:join", args=["NOSUCH99"]))
    assert response.status_code == 404
    assert views.UNKNOWN_CODE.format(code="NOSUCH99") in response.content.decode()


def test_a_closed_class_refuses_with_a_message(learner_client, cohort):
    services.cohort_joining_set(cohort=cohort, joining_open=False)
    response = learner_client.post(join_url(cohort))
    assert response.status_code == 403
    message = services.JOINING_CLOSED.format(cohort=cohort.name)
    assert message in response.content.decode()
    assert not Membership.objects.exists()


def test_an_invited_learner_may_follow_the_link_of_a_closed_class(
    learner_client, learner, cohort, instructor
):
    services.invitations_create(
        cohort=cohort, emails=[learner.email], invited_by=None, join_url=""
    )
    services.cohort_joining_set(cohort=cohort, joining_open=False)
    learner_client.post(join_url(cohort))
    assert Membership.objects.filter(cohort=cohort, learner=learner).exists()
    assert Invitation.objects.get().accepted_at is not None


def test_an_instructor_account_cannot_join(other_instructor_client, cohort):
    response = other_instructor_client.post(join_url(cohort))
    assert response.status_code == 403
    assert services.INSTRUCTOR_CANNOT_JOIN in response.content.decode()
    assert not Membership.objects.exists()


def test_an_invited_email_joins_on_login(client, learner, other_learner, cohort):
    services.invitations_create(
        cohort=cohort, emails=[learner.email.upper()], invited_by=None, join_url=""
    )
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=learner).exists()
    assert Invitation.objects.get().accepted_at is not None
    client.post(reverse("account_logout"))
    client.post(
        reverse("account_login"), {"login": other_learner.email, "password": PASSWORD}
    )
    assert not Membership.objects.filter(learner=other_learner).exists()

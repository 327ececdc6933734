"""An instructor's class pages: create a class, its roster and join code, invite
by typed addresses or a CSV file (all or nothing), remove a learner."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts import forms
from cohorts.models import Cohort, Invitation, Membership
from cohorts.services import cohort_join


def detail_url(cohort):
    return reverse("cohorts:detail", args=[cohort.pk])


def invite(client, cohort, **data):
    return client.post(reverse("cohorts:invite", args=[cohort.pk]), data)


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("class.csv", text.encode(), content_type="text/csv")


def test_creating_a_class_makes_its_creator_an_instructor(
    instructor_client, instructor
):
    response = instructor_client.post(
        reverse("cohorts:create"), {"name": "CCS fall", "description": "Weekends."}
    )
    cohort = Cohort.objects.get(name="CCS fall")
    assert response.url == detail_url(cohort)
    assert list(cohort.instructors.all()) == [instructor]
    listing = instructor_client.get(reverse("cohorts:list")).content.decode()
    assert "CCS fall" in listing


def test_a_class_without_a_name_shows_the_field_error(instructor_client):
    response = instructor_client.post(reverse("cohorts:create"), {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Cohort.objects.exists()


def test_the_class_page_shows_roster_code_and_absolute_join_link(
    instructor_client, cohort, learner
):
    cohort_join(cohort=cohort, learner=learner)
    page = instructor_client.get(detail_url(cohort)).content.decode()
    assert cohort.join_code in page
    assert f"http://testserver/classes/join/{cohort.join_code}/" in page
    assert str(learner) in page


def test_closing_reopening_and_renewing_the_code(instructor_client, cohort):
    old_code = cohort.join_code
    instructor_client.post(reverse("cohorts:joining", args=[cohort.pk]), {"open": "0"})
    cohort.refresh_from_db()
    assert not cohort.joining_open
    instructor_client.post(reverse("cohorts:joining", args=[cohort.pk]), {"open": "1"})
    instructor_client.post(reverse("cohorts:code_renew", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.joining_open and cohort.join_code != old_code


def test_invite_typed_addresses_skipping_ones_already_invited(
    instructor_client,
    cohort,
    instructor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(instructor_client, cohort, emails="a@example.test, b@example.test")
        response = invite(
            instructor_client, cohort, emails="B@example.test\nc@example.test"
        )
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mailoutbox) == [
        "a@example.test",
        "b@example.test",
        "c@example.test",
    ]
    join_link = f"http://testserver/classes/join/{cohort.join_code}/"
    assert join_link in mailoutbox[0].body
    emails = sorted(cohort.invitations.values_list("email", flat=True))
    assert emails == ["a@example.test", "b@example.test", "c@example.test"]
    assert cohort.invitations.filter(invited_by=instructor).count() == 3
    page = instructor_client.get(detail_url(cohort)).content.decode()
    assert "c@example.test" in page


def test_a_bad_typed_address_saves_nothing(instructor_client, cohort):
    response = invite(instructor_client, cohort, emails="ok@example.test\nnot-an-email")
    assert response.status_code == 400
    expected = forms.BAD_TYPED_ADDRESS.format(number=2, value="not-an-email")
    assert expected.replace('"', "&quot;") in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_from_a_csv_file(instructor_client, cohort):
    upload = csv_upload("name,Email\nAna,ana@example.test\nBo,bo@example.test\n")
    response = invite(instructor_client, cohort, csv_file=upload)
    assert response.status_code == 302
    emails = sorted(cohort.invitations.values_list("email", flat=True))
    assert emails == ["ana@example.test", "bo@example.test"]


def test_a_bad_csv_row_is_named_and_nothing_is_saved(instructor_client, cohort):
    upload = csv_upload("email\nana@example.test\nbo@@example\n")
    response = invite(instructor_client, cohort, csv_file=upload)
    assert response.status_code == 400
    expected = forms.BAD_CSV_ROW.format(row=3, value="bo@@example")
    assert expected.replace('"', "&quot;") in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_csv_without_an_email_column_is_refused(instructor_client, cohort):
    response = invite(instructor_client, cohort, csv_file=csv_upload("name\nAna\n"))
    assert response.status_code == 400
    assert forms.CSV_NO_EMAIL_COLUMN.replace('"', "&quot;") in response.content.decode()


def test_an_empty_invitation_form_says_what_is_missing(instructor_client, cohort):
    response = invite(instructor_client, cohort, emails="  ")
    assert response.status_code == 400
    assert forms.NO_ADDRESSES in response.content.decode()


def test_removing_a_learner(instructor_client, cohort, learner):
    cohort_join(cohort=cohort, learner=learner)
    url = reverse("cohorts:remove_learner", args=[cohort.pk, learner.pk])
    assert instructor_client.post(url).status_code == 302
    assert not Membership.objects.filter(cohort=cohort).exists()


def test_an_administrator_sees_every_class(administrator_client, cohort):
    assert administrator_client.get(detail_url(cohort)).status_code == 200
    assert (
        cohort.name
        in administrator_client.get(reverse("cohorts:list")).content.decode()
    )


def test_the_navigation_shows_teaching_to_instructors_only(
    instructor_client, learner, client
):
    page = instructor_client.get(reverse("cohorts:list")).content.decode()
    assert f'href="{reverse("cohorts:list")}"' in page
    client.force_login(learner)
    page = client.get(reverse("cohorts:join_by_code")).content.decode()
    assert f'href="{reverse("cohorts:list")}"' not in page


def test_an_instructor_follows_the_readiness_of_their_class_only(
    instructor_client, cohort, learner, other_learner
):
    cohort_join(cohort=cohort, learner=learner)

    def readiness(user):
        url = reverse("readiness:learner", args=[user.pk, "cpc"])
        return instructor_client.get(url).status_code

    assert readiness(learner) == 200
    assert readiness(other_learner) == 404

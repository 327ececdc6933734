"""A finding blocks a case key from being imported or saved (and so published)
until the author records a reason for it."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from case_studies.models import CaseStudyPage
from codesets.edits import EXCLUDES1 as EXCLUDES1_MESSAGE
from content_checks.management.commands.check_content import ACCEPTED
from content_checks.models import AcceptedFinding
from content_checks.selectors import BLOCKING
from content_checks.services import finding_accept
from tests.content_checks.test_check_content import demo_case, dx_line, import_bundle

FINDING = "excludes1:M54.17+M51.17"


def excludes1_case() -> dict:
    case = demo_case("21")  # M51.17, transforaminal epidural injection
    case["slug"] = "plant-excludes1-case"
    case["key"]["diagnoses"].append(dx_line("M54.17"))
    return case


@pytest.mark.django_db
def test_an_import_is_refused_until_the_finding_has_a_reason(code_sets, tmp_path):
    case = excludes1_case()
    with pytest.raises(CommandError) as refused:
        import_bundle(tmp_path, case)
    assert f"as {FINDING}." in str(refused.value)
    assert "[excludes1]" in str(refused.value)
    assert not CaseStudyPage.objects.filter(slug=case["slug"]).exists()

    finding_accept(
        where=f"case {case['slug']}",
        finding=FINDING,
        reason="Test of the accepted path: the two conditions are unrelated "
        "(I.A.12.a exception).",
    )
    import_bundle(tmp_path, case)

    assert CaseStudyPage.objects.get(slug=case["slug"]).live
    out = StringIO()
    call_command("check_content", stdout=out)
    assert ACCEPTED.format(count=1) in out.getvalue()


@pytest.mark.django_db
def test_saving_in_the_admin_is_refused_without_the_reason(code_sets, tmp_path):
    case = excludes1_case()
    finding_accept(where=f"case {case['slug']}", finding=FINDING, reason="Planted.")
    import_bundle(tmp_path, case)
    page = CaseStudyPage.objects.get(slug=case["slug"])
    page.full_clean()

    AcceptedFinding.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    [message] = refused.value.message_dict["answer_key"]
    why = EXCLUDES1_MESSAGE.format(a="M54.17", b="M51.17", owner="M54.1")
    assert message == BLOCKING.format(message=why, rule="excludes1", code=FINDING)

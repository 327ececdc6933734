"""The nursing-facility setting: its E/M family (99304-99316) is accepted there and
reported anywhere else, through the commands an author uses."""

import pytest
from django.core.management.base import CommandError

from content_checks.management.commands.check_content import NO_FINDINGS
from content_checks.rules import EM_SETTING, EM_WRONG_SETTING
from tests.content_checks.test_check_content import demo_case, import_bundle, run_check

NURSING_FACILITY_CASE = "81"
OFFICE_CASE = "02"


@pytest.mark.django_db
def test_a_nursing_facility_case_imports_and_checks_clean(code_sets, tmp_path):
    case = demo_case(NURSING_FACILITY_CASE)
    assert case["setting"] == "nursing_facility"
    assert case["key"]["service_lines"][0]["code"] == "99305"

    import_bundle(tmp_path, case)
    out, error = run_check()

    assert (out.strip(), error) == (NO_FINDINGS, "")


@pytest.mark.django_db
def test_a_nursing_facility_visit_keyed_in_an_office_case_is_refused(
    code_sets, tmp_path
):
    case = demo_case(OFFICE_CASE)
    assert case["setting"] == "physician_office"
    line = case["key"]["service_lines"][0]
    line.update(code="99309", alternatives=[], common_errors=[])

    with pytest.raises(CommandError) as refused:
        import_bundle(tmp_path, case)

    message = EM_WRONG_SETTING.format(
        code="99309", family="nursing facility visit", setting="a physician office"
    )
    assert message in str(refused.value)
    assert EM_SETTING.slug in str(refused.value)

"""The hospital-observation setting: initial hospital inpatient or observation care
(99221-99223) is accepted there and reported in an office case, through the commands
an author uses."""

import pytest
from django.core.management.base import CommandError

from content_checks.management.commands.check_content import NO_FINDINGS
from content_checks.rules import EM_SETTING, EM_WRONG_SETTING
from tests.content_checks.test_check_content import demo_case, import_bundle, run_check

OBSERVATION_CASE = "93"
OFFICE_CASE = "02"


@pytest.mark.django_db
def test_an_observation_case_with_initial_observation_care_checks_clean(
    code_sets, tmp_path
):
    case = demo_case(OBSERVATION_CASE)
    assert case["setting"] == "observation"
    assert case["key"]["service_lines"][0]["code"] == "99222"

    import_bundle(tmp_path, case)
    out, error = run_check()

    assert (out.strip(), error) == (NO_FINDINGS, "")


@pytest.mark.django_db
def test_initial_observation_care_keyed_in_an_office_case_is_refused(
    code_sets, tmp_path
):
    case = demo_case(OFFICE_CASE)
    assert case["setting"] == "physician_office"
    line = case["key"]["service_lines"][0]
    line.update(code="99222", alternatives=[], common_errors=[])

    with pytest.raises(CommandError) as refused:
        import_bundle(tmp_path, case)

    message = EM_WRONG_SETTING.format(
        code="99222",
        family="hospital inpatient or observation",
        setting="a physician office",
    )
    assert message in str(refused.value)
    assert EM_SETTING.slug in str(refused.value)

"""The settings whose E/M families the linter knows beyond office, ED and inpatient:
a family keyed in its own setting is accepted, and keyed in an office case it is
reported, through the commands an author uses."""

import pytest
from django.core.management.base import CommandError

from content_checks.management.commands.check_content import NO_FINDINGS
from content_checks.rules import EM_SETTING, EM_WRONG_SETTING
from tests.content_checks.test_check_content import demo_case, import_bundle, run_check

OFFICE_CASE = "02"
# (demo case, its setting, the E/M code it keys, that code's family)
SETTING_CASES = [
    pytest.param("81", "nursing_facility", "99305", "nursing facility visit", id="nf"),
    pytest.param(
        "93",
        "observation",
        "99222",
        "hospital inpatient or observation",
        id="observation",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("number,setting,code,family", SETTING_CASES)
def test_a_case_keying_its_settings_em_family_checks_clean(
    code_sets, tmp_path, number, setting, code, family
):
    case = demo_case(number)
    assert case["setting"] == setting
    assert case["key"]["service_lines"][0]["code"] == code

    import_bundle(tmp_path, case)
    out, error = run_check()

    assert (out.strip(), error) == (NO_FINDINGS, "")


@pytest.mark.django_db
@pytest.mark.parametrize("number,setting,code,family", SETTING_CASES)
def test_that_family_keyed_in_an_office_case_is_refused(
    code_sets, tmp_path, number, setting, code, family
):
    case = demo_case(OFFICE_CASE)
    assert case["setting"] == "physician_office"
    line = case["key"]["service_lines"][0]
    line.update(code=code, alternatives=[], common_errors=[])

    with pytest.raises(CommandError) as refused:
        import_bundle(tmp_path, case)

    message = EM_WRONG_SETTING.format(
        code=code, family=family, setting="a physician office"
    )
    assert message in str(refused.value)
    assert EM_SETTING.slug in str(refused.value)

"""An exam item's ledger reference names its attempt, and only such a reference
is read as one (readiness finds the attempt a graded item belongs to)."""

import pytest

from exams.selectors import attempt_id_of_ledger_ref, ledger_ref_prefix


def test_the_attempt_is_read_back_from_an_items_reference():
    assert attempt_id_of_ledger_ref(f"{ledger_ref_prefix(12)}345") == 12


@pytest.mark.parametrize(
    "reference", ["case-attempt:12", "exam-attempt:12", "exam-attempt:x:3", ""]
)
def test_any_other_reference_names_no_attempt(reference):
    assert attempt_id_of_ledger_ref(reference) is None

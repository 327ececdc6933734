"""The ledger's item reference: written and read back, from the ledger's two
columns and from its text form, so no reader splits an `item_id` itself."""

import pytest

from grading.items import NOT_AN_ITEM_REF, SEPARATOR_IN_PART, ItemRef, ItemType

REFS = [
    ItemRef.case_study(42),
    ItemRef.exam_question(7),
    ItemRef.knowledge_check(12, "check-1"),
    ItemRef.knowledge_check(12, "a:b"),
    ItemRef("bench_item", "d3-i12"),
]


@pytest.mark.parametrize("ref", REFS, ids=str)
def test_the_text_form_reads_back_as_the_same_reference(ref):
    assert ItemRef.parse(str(ref)) == ref


@pytest.mark.parametrize("ref", REFS, ids=str)
def test_the_ledger_columns_read_back_as_the_same_reference(ref):
    assert ItemRef.from_ledger(ref.item_type, ref.item_id) == ref


def test_a_knowledge_check_is_its_lesson_and_block():
    ref = ItemRef.from_ledger("knowledge_check", "12:check-1")
    assert ref == ItemRef.knowledge_check(12, "check-1")
    assert (ref.item_type, ref.object_pk, ref.part) == (
        ItemType.KNOWLEDGE_CHECK,
        12,
        "check-1",
    )
    assert str(ref) == "knowledge_check:12:check-1"


def test_the_ledger_columns_are_the_ones_apps_recorded_before():
    assert (ItemRef.case_study(42).item_type, ItemRef.case_study(42).item_id) == (
        "case_study",
        "42",
    )
    assert ItemRef.knowledge_check(12, "check-1").item_id == "12:check-1"


def test_a_synthetic_id_has_no_primary_key():
    assert ItemRef("bench_item", "d3-i12").object_pk is None
    assert ItemRef.exam_question(7).object_pk == 7


@pytest.mark.parametrize("text", ["", "case_study", "case_study:", ":42"])
def test_text_that_is_no_reference_is_refused_by_name(text):
    with pytest.raises(ValueError) as caught:
        ItemRef.parse(text)
    assert str(caught.value) == NOT_AN_ITEM_REF.format(text=text)


def test_a_type_holding_the_separator_is_refused():
    with pytest.raises(ValueError) as caught:
        ItemRef("case:study", "42")
    assert str(caught.value) == SEPARATOR_IN_PART.format(name="item_type")

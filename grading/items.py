"""How the ledger names a graded item without a foreign key to each app's models.

An item is the object holding it in its app (a case page, a lesson page, an exam
question) and, for an item inside that object, the part's id (a lesson's check
block). The ledger stores it as two strings, `item_type` and `item_id`
(`"<lesson id>:<block id>"` for a check); this module is the only code that
knows that format, so readers never split an `item_id` themselves.

```python
ref = ItemRef.knowledge_check(12, "check-1")
str(ref)                      # "knowledge_check:12:check-1"
ItemRef.parse(str(ref)) == ref
ItemRef.from_ledger(row.item_type, row.item_id).object_pk  # 12
```
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SEPARATOR = ":"
EMPTY_PART = "{name} must not be empty"
SEPARATOR_IN_PART = "{name} must not contain ':'"
NOT_AN_ITEM_REF = "not an item reference (item_type:object_id[:part]): {text!r}"


class ItemType(StrEnum):
    """The kinds of graded item the apps record."""

    CASE_STUDY = "case_study"
    KNOWLEDGE_CHECK = "knowledge_check"
    EXAM_QUESTION = "exam_question"
    BILLING_SCENARIO = "billing_scenario"


@dataclass(frozen=True, order=True)
class ItemRef:
    """A graded item: its type, the id of the object holding it, and the id of
    the part of that object it is (empty when the item is the whole object).

    Raises `ValueError` for an empty type or object id, or a type or object id
    holding the separator (the part may hold it: it is the remainder)."""

    item_type: str
    object_id: str
    part: str = ""

    def __post_init__(self) -> None:
        for name in ("item_type", "object_id"):
            value = getattr(self, name)
            if not value:
                raise ValueError(EMPTY_PART.format(name=name))
            if SEPARATOR in value:
                raise ValueError(SEPARATOR_IN_PART.format(name=name))

    def __str__(self) -> str:
        return f"{self.item_type}{SEPARATOR}{self.item_id}"

    @classmethod
    def case_study(cls, case_id: int) -> ItemRef:
        return cls(ItemType.CASE_STUDY, str(case_id))

    @classmethod
    def knowledge_check(cls, lesson_id: int, check_id: str) -> ItemRef:
        return cls(ItemType.KNOWLEDGE_CHECK, str(lesson_id), check_id)

    @classmethod
    def exam_question(cls, question_id: int) -> ItemRef:
        return cls(ItemType.EXAM_QUESTION, str(question_id))

    @classmethod
    def billing_scenario(cls, scenario_id: int, step: str) -> ItemRef:
        """One graded step of a billing scenario: claim, prediction, posting,
        denial-N or appeal-N."""
        return cls(ItemType.BILLING_SCENARIO, str(scenario_id), step)

    @classmethod
    def from_ledger(cls, item_type: str, item_id: str) -> ItemRef:
        """The reference a ledger row's `item_type` and `item_id` name."""
        object_id, _, part = item_id.partition(SEPARATOR)
        return cls(item_type, object_id, part)

    @classmethod
    def parse(cls, text: str) -> ItemRef:
        """The reference `str(ref)` wrote; raises `ValueError` for anything else."""
        item_type, separator, item_id = text.partition(SEPARATOR)
        try:
            if not separator:
                raise ValueError
            return cls.from_ledger(item_type, item_id)
        except ValueError:
            raise ValueError(NOT_AN_ITEM_REF.format(text=text)) from None

    @property
    def item_id(self) -> str:
        """The ledger's `item_id` column."""
        if self.part:
            return f"{self.object_id}{SEPARATOR}{self.part}"
        return self.object_id

    @property
    def object_pk(self) -> int | None:
        """The holding object's primary key, or None for a non-numeric id (the
        benchmark's synthetic items)."""
        return int(self.object_id) if self.object_id.isdigit() else None

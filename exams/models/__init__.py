"""Mock exams: the question bank, blueprints, attempts and accommodations."""

from .attempts import Attempt, AttemptItem
from .bank import Question, QuestionKind, QuestionOption
from .blueprints import Blueprint, BlueprintQuestion, PassingKind, ReviewPolicy
from .accommodations import Accommodation

__all__ = [
    "Accommodation",
    "Attempt",
    "AttemptItem",
    "Blueprint",
    "BlueprintQuestion",
    "PassingKind",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "ReviewPolicy",
]

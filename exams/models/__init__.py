"""Mock exams: the question bank, blueprints, attempts and accommodations."""

from .accommodations import Accommodation
from .attempts import Attempt, AttemptItem
from .bank import Question, QuestionKind, QuestionOption
from .blueprints import Blueprint, BlueprintQuestion, PassingKind, ReviewPolicy
from .sittings import ExamSitting

__all__ = [
    "Accommodation",
    "Attempt",
    "AttemptItem",
    "Blueprint",
    "BlueprintQuestion",
    "ExamSitting",
    "PassingKind",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "ReviewPolicy",
]

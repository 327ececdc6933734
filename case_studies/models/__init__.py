"""Case study pages, learners' attempts, the key change log and the review task."""

from case_studies.models.attempts import CaseAttempt
from case_studies.models.pages import (
    CaseLibraryPage,
    CaseSetting,
    CaseStudyPage,
    ClaimSetting,
)
from case_studies.models.review import AnotherInstructorApprovalTask, AnswerKeyChange

__all__ = [
    "AnotherInstructorApprovalTask",
    "AnswerKeyChange",
    "CaseAttempt",
    "CaseLibraryPage",
    "CaseSetting",
    "CaseStudyPage",
    "ClaimSetting",
]

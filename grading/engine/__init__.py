"""The grading engine: pure Python, no Django, no I/O.

Parse an answer key and a response, pick a scoring policy, give a code book, and
`grade` returns a `Result`; `grade_choice` grades multiple-choice items.
"""

from grading.engine.choice import ChoiceResult, grade_choice
from grading.engine.codebook import (
    CodeBook,
    CodeStatus,
    DictCodeBook,
    FormatOnlyCodeBook,
)
from grading.engine.policy import (
    EXAM,
    POLICIES,
    PRACTICE,
    SCORING_TABLE,
    STRICT,
    ScoringPolicy,
    policy_from_dict,
    policy_to_dict,
)
from grading.engine.result import (
    CodeMetrics,
    Deduction,
    Difference,
    DifferenceKind,
    LineResult,
    LineStatus,
    Result,
    StatusCounts,
    result_to_dict,
)
from grading.engine.schema import (
    AnswerKey,
    CommonError,
    GivenLine,
    KeyLine,
    ModifierAlternative,
    Poa,
    Response,
    SchemaError,
    Section,
    Setting,
    key_to_dict,
    parse_key,
    parse_response,
    response_from_key,
    response_to_dict,
)
from grading.engine.scoring import grade

__all__ = [
    "EXAM",
    "POLICIES",
    "PRACTICE",
    "SCORING_TABLE",
    "STRICT",
    "AnswerKey",
    "ChoiceResult",
    "CodeBook",
    "CodeMetrics",
    "CodeStatus",
    "CommonError",
    "Deduction",
    "DictCodeBook",
    "Difference",
    "DifferenceKind",
    "FormatOnlyCodeBook",
    "GivenLine",
    "KeyLine",
    "LineResult",
    "LineStatus",
    "ModifierAlternative",
    "Poa",
    "Response",
    "Result",
    "SchemaError",
    "ScoringPolicy",
    "Section",
    "Setting",
    "StatusCounts",
    "grade",
    "grade_choice",
    "key_to_dict",
    "parse_key",
    "parse_response",
    "policy_from_dict",
    "policy_to_dict",
    "response_from_key",
    "response_to_dict",
    "result_to_dict",
]

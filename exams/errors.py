"""Errors of the exam flow, with the messages learners and API clients see."""

ATTEMPT_NOT_FOUND = "No such attempt."
ITEM_NOT_IN_ATTEMPT = "This question is not part of the attempt."
ATTEMPT_CLOSED = (
    "This attempt is closed: it was submitted or its time ran out. "
    "Answers saved before then are kept."
)
EXAM_CLOSED = "This exam is closed to new attempts."
NO_ATTEMPTS_LEFT = "You have used all the attempts allowed for this exam."
UNKNOWN_OPTION = "Unknown option id: {ids}."
TOO_MANY_OPTIONS = "Choose at most {count} option(s)."
RESPONSE_TOO_LARGE = "The answer is too large."
BAD_RESPONSE = "The answer does not fit this question: {detail}."
STALE_SAVE = "A newer answer to this question was already saved."
# The page numbers saves with milliseconds since the epoch; 2^53 - 1 is the largest
# integer a JavaScript client holds exactly.
MAX_SEQUENCE = 2**53 - 1
SEQUENCE_INVALID = (
    f"sequence must be a whole number from 1 to {MAX_SEQUENCE} "
    "(milliseconds since the epoch, or a counter of your own)."
)
EXAM_UNAVAILABLE = "No such exam."


class ExamError(Exception):
    """A refused exam action; `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ExamNotFound(ExamError):
    status = 404


class AttemptClosed(ExamError):
    status = 409

    def __init__(self, message: str = ATTEMPT_CLOSED):
        super().__init__(message)


class StaleSave(ExamError):
    status = 409

    def __init__(self, message: str = STALE_SAVE):
        super().__init__(message)

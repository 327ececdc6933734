"""The knowledge-check API the lesson page's script calls for immediate feedback.

`POST /api/courses/lessons/{lesson_id}/checks/{check_id}` grades an answer of the
signed-in learner, who must be enrolled in the lesson's course, and returns the
feedback with the learner's updated progress.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from ninja import Field, Router, Schema

from courses import selectors, services
from courses.answers import AnswerError
from courses.models import LessonPage

NOT_ENROLLED = "Enrol in this course to answer its knowledge checks."
NO_SUCH_LESSON = "No such lesson."
NO_SUCH_CHECK = "No such knowledge check in this lesson."

router = Router(tags=["courses"])


class CheckAnswerIn(Schema):
    chosen: list[str] = Field(default_factory=list, max_length=20)
    diagnoses: str = Field(default="", max_length=2000)
    procedures: str = Field(default="", max_length=2000)
    service_lines: str = Field(default="", max_length=2000)


class ErrorOut(Schema):
    detail: str


@router.post(
    "/lessons/{lesson_id}/checks/{check_id}",
    response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="courses_answer_check",
)
def answer_check(
    request: HttpRequest, lesson_id: int, check_id: str, payload: CheckAnswerIn
):
    """Grade an answer to a knowledge check; each call is a new attempt."""
    try:
        lesson = selectors.live_lesson(lesson_id=lesson_id)
    except LessonPage.DoesNotExist:
        return 404, {"detail": NO_SUCH_LESSON}
    if check_id not in lesson.checks():
        return 404, {"detail": NO_SUCH_CHECK}
    course = lesson.course
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is None:
        return 403, {"detail": NOT_ENROLLED}
    try:
        outcome = services.knowledge_check_submit(
            enrolment=enrolment,
            lesson=lesson,
            check_id=check_id,
            data=payload.dict(),
        )
    except AnswerError as error:
        return 400, {"detail": error.message}
    feedback_html = render_to_string(
        "courses/blocks/_check_feedback.html",
        {"feedback": outcome.feedback, "result": outcome.result},
    )
    return 200, {**outcome.as_dict(), "feedback_html": feedback_html}

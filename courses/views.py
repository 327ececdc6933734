"""Learner and instructor views; the course pages themselves are Wagtail pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from accounts.roles import is_administrator, is_instructor
from courses import selectors, services
from courses.answers import AnswerError
from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage

NO_SUCH_ENROLMENT = "No such enrolment."
NO_SUCH_LESSON = "No such lesson in this course."
NO_SUCH_CHECK = "No such knowledge check in this lesson."
NO_SUCH_COURSE = "No such course."
ENROLLED = "You are enrolled in {course}."
LESSON_COMPLETED = "Lesson marked complete."
CHECKS_NOT_PASSED = (
    "This lesson is complete once each of its knowledge checks is answered "
    "correctly; {count} still to do: {questions}"
)
NOT_AN_INSTRUCTOR = "Only instructors can see course reports."
SEARCH_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


@require_GET
def course_index(request: HttpRequest) -> HttpResponse:
    """The navigation's entry point: the course index page."""
    index = CourseIndexPage.objects.live().first()
    if index is None:
        raise Http404(NO_SUCH_COURSE)
    return redirect(index.url)


def _own_enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    try:
        return selectors.enrolment_of(user=request.user, enrolment_id=enrolment_id)
    except Enrolment.DoesNotExist:
        raise Http404(NO_SUCH_ENROLMENT) from None


def _lesson_in(enrolment: Enrolment, lesson_id: int) -> LessonPage:
    lesson = enrolment.course.lessons().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404(NO_SUCH_LESSON)
    return lesson


@login_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404(NO_SUCH_COURSE)
    enrolment = services.enrolment_create(learner=request.user, course=course)
    messages.success(request, ENROLLED.format(course=course.title))
    return redirect("courses:resume", enrolment_id=enrolment.pk)


@login_required
@require_GET
def outline(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The learner's outline of a course: completion marks and check scores."""
    enrolment = _own_enrolment(request, enrolment_id)
    return render(
        request,
        "courses/outline.html",
        {
            "enrolment": enrolment,
            "course": enrolment.course,
            "outline": selectors.course_outline(
                course=enrolment.course, enrolment=enrolment
            ),
            "course_progress": selectors.course_progress(enrolment=enrolment),
            "resume": selectors.resume_lesson(enrolment=enrolment),
        },
    )


@login_required
@require_GET
def resume(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Go to where the learner stopped; to the outline once everything is done."""
    enrolment = _own_enrolment(request, enrolment_id)
    lesson = selectors.resume_lesson(enrolment=enrolment)
    if lesson is None:
        return redirect("courses:outline", enrolment_id=enrolment.pk)
    return redirect(lesson.url)


@login_required
@require_POST
def complete_lesson(
    request: HttpRequest, enrolment_id: int, lesson_id: int
) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    lesson = _lesson_in(enrolment, lesson_id)
    completion = services.lesson_complete(enrolment=enrolment, lesson=lesson)
    if completion.completed:
        messages.success(request, LESSON_COMPLETED)
        return redirect(lesson.url)
    questions = lesson.check_questions(limit=80)
    messages.error(
        request,
        CHECKS_NOT_PASSED.format(
            count=len(completion.checks_not_passed),
            questions="; ".join(
                f"“{questions[check_id]}”" for check_id in completion.checks_not_passed
            ),
        ),
    )
    first = completion.checks_not_passed[0]
    return redirect(f"{lesson.url}#check-{first}")


@login_required
@require_POST
def answer_check(
    request: HttpRequest, enrolment_id: int, lesson_id: int, check_id: str
) -> HttpResponse:
    """The form (no JavaScript) way to answer a check: grade, then show the
    lesson again with the feedback under the check."""
    enrolment = _own_enrolment(request, enrolment_id)
    lesson = _lesson_in(enrolment, lesson_id)
    if check_id not in lesson.checks():
        raise Http404(NO_SUCH_CHECK)
    data = {key: request.POST.get(key) for key in request.POST}
    data["chosen"] = request.POST.getlist("chosen")
    try:
        services.knowledge_check_submit(
            enrolment=enrolment, lesson=lesson, check_id=check_id, data=data
        )
    except AnswerError as error:
        return render(
            request,
            "courses/answer_error.html",
            {"message": error.message, "lesson": lesson, "check_id": check_id},
            status=400,
        )
    return redirect(f"{lesson.url}#check-{check_id}")


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Site search over live, public pages: courses, lessons and case studies.

    Check blocks and answer keys add nothing to the index (see courses.blocks),
    so no answer can be found here.
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = None
    if query:
        results = Page.objects.live().public().specific().search(query)
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"query": query, "page": page})


def _require_instructor(request: HttpRequest) -> None:
    if not (is_instructor(request.user) or is_administrator(request.user)):
        raise PermissionDenied(NOT_AN_INSTRUCTOR)


def _reported_course(request: HttpRequest, course_id: int) -> CoursePage:
    course = selectors.courses_reported_to(request.user).filter(pk=course_id).first()
    if course is None:
        raise Http404(NO_SUCH_COURSE)
    return course


@login_required
@require_GET
def teach(request: HttpRequest) -> HttpResponse:
    _require_instructor(request)
    return render(
        request,
        "courses/teach/index.html",
        {"courses": selectors.courses_reported_to(request.user)},
    )


@login_required
@require_GET
def teach_course(request: HttpRequest, course_id: int) -> HttpResponse:
    _require_instructor(request)
    course = _reported_course(request, course_id)
    return render(
        request,
        "courses/teach/course.html",
        {"course": course, "report": selectors.course_report(course=course)},
    )


@login_required
@require_GET
def teach_learner(
    request: HttpRequest, course_id: int, enrolment_id: int
) -> HttpResponse:
    _require_instructor(request)
    course = _reported_course(request, course_id)
    enrolment = (
        Enrolment.objects.select_related("learner")
        .filter(pk=enrolment_id, course=course)
        .first()
    )
    if enrolment is None:
        raise Http404(NO_SUCH_ENROLMENT)
    return render(
        request,
        "courses/teach/learner.html",
        {
            "course": course,
            "enrolment": enrolment,
            "outline": selectors.course_outline(course=course, enrolment=enrolment),
            "course_progress": selectors.course_progress(enrolment=enrolment),
        },
    )

from courses.models.learning import CheckResult, Enrolment, LessonProgress
from courses.models.pages import (
    CourseIndexPage,
    CourseInstructor,
    CoursePage,
    LessonPage,
    ModulePage,
)

__all__ = [
    "CheckResult",
    "CourseIndexPage",
    "CourseInstructor",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
]

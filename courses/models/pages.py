"""The course tree instructors author: index → course → module → lesson."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.roles import instructor_choices
from certifications.models import Difficulty
from courses.blocks import CHECK_BLOCK_TYPES, RICH_TEXT_FEATURES, LessonBodyBlock
from courses.text import plain_excerpt

# Long enough for most questions whole on a progress page, short enough to scan.
QUESTION_LENGTH = 140


class CourseIndexPage(Page):
    """The list of courses, at /courses/."""

    intro = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="A short introduction above the list of courses.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_cards

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_cards(index_page=self, user=request.user)
        return context


class CoursePage(Page):
    """A course preparing for one certification, made of modules of lessons."""

    certification = models.ForeignKey(
        "certifications.Certification",
        on_delete=models.PROTECT,
        related_name="courses",
        help_text="The certification this course prepares for.",
    )
    summary = models.CharField(
        max_length=300, help_text="One or two sentences shown on the course list."
    )
    overview = RichTextField(
        features=RICH_TEXT_FEATURES, help_text="What the course covers and for whom."
    )
    prerequisites = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="What learners should know before starting.",
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(max_length=300, icon="tick"))],
        blank=True,
        help_text="What a learner can do after the course, one outcome per item.",
    )
    estimated_hours = models.PositiveSmallIntegerField(
        default=1, help_text="Estimated study time in hours."
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("certification"),
                FieldPanel("summary"),
                FieldPanel("estimated_hours"),
            ],
            heading="Course",
        ),
        FieldPanel("overview"),
        FieldPanel("prerequisites"),
        FieldPanel("learning_outcomes"),
        InlinePanel("instructors", label="Instructors"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("overview"),
        index.SearchField("prerequisites"),
        index.SearchField("learning_outcomes"),
        index.FilterField("certification"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import (
            course_outline,
            course_progress,
            courses_reported_to,
            enrolment_for,
        )

        context = super().get_context(request, *args, **kwargs)
        context["can_report"] = (
            request.user.is_authenticated
            and courses_reported_to(request.user).filter(pk=self.pk).exists()
        )
        enrolment = enrolment_for(user=request.user, course=self)
        context["enrolment"] = enrolment
        if enrolment is not None:
            context["enrolment_progress"] = course_progress(enrolment=enrolment)
        context["outline"] = course_outline(course=self, enrolment=enrolment)
        return context

    def lessons(self):
        """Live lessons of live modules, in outline order."""
        modules = ModulePage.objects.live().child_of(self).values_list("path")
        in_live_module = Q(pk__in=[])
        for (path,) in modules:
            in_live_module |= Q(path__startswith=path)
        return LessonPage.objects.live().filter(in_live_module).order_by("path")


class CourseInstructor(Orderable):
    """An instructor listed on a course; they see its learner reports."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="instructors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="courses_taught",
        limit_choices_to=instructor_choices,
        help_text="A user with the Instructor role.",
    )

    panels = [FieldPanel("user")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"], name="courses_instructor_unique_per_course"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class ModulePage(Page):
    """A group of lessons within a course."""

    summary = models.CharField(
        max_length=300, blank=True, help_text="What this module covers, in a sentence."
    )

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        # A module has no page of its own: its lessons are listed on the course.
        return redirect(f"{self.get_parent().url}#module-{self.pk}")


class LessonPage(Page):
    """One lesson: teaching blocks and knowledge checks."""

    summary = models.CharField(
        max_length=300, blank=True, help_text="What the learner will learn."
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Estimated study time in minutes."
    )
    difficulty = models.CharField(
        max_length=16, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    domains = ParentalManyToManyField(
        "certifications.Domain",
        blank=True,
        related_name="lessons",
        help_text="The exam domains this lesson teaches; results count towards them.",
    )
    body = StreamField(LessonBodyBlock(), help_text="The lesson, block by block.")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldPanel("estimated_minutes"),
                FieldPanel("difficulty"),
                FieldPanel("domains"),
            ],
            heading="Lesson",
        ),
        FieldPanel("body"),
    ]
    # The body's check blocks return no searchable content, so no answer is indexed.
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        from courses.services import lesson_visit

        lesson_visit(user=request.user, lesson=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(lesson=self, user=request.user))
        return context

    @property
    def course(self) -> "CoursePage | None":
        return CoursePage.objects.ancestor_of(self).first()

    def check_ids(self) -> list[str]:
        """The ids of the lesson's checks, read without building the blocks."""
        return [
            item["value"]["check_id"]
            for item in self.body.raw_data
            if item["type"] in CHECK_BLOCK_TYPES
        ]

    def check_questions(self, limit: int = QUESTION_LENGTH) -> dict[str, str]:
        """Each check's question as plain text, cut at a word within `limit`
        characters: what progress pages and reports name a check by."""
        return {
            item["value"]["check_id"]: plain_excerpt(item["value"]["prompt"], limit)
            for item in self.body.raw_data
            if item["type"] in CHECK_BLOCK_TYPES
        }

    def checks(self) -> dict:
        """The lesson's checks by id: {check_id: (block type, value)}."""
        return {
            child.value["check_id"]: (child.block_type, child.value)
            for child in self.body
            if child.block_type in CHECK_BLOCK_TYPES
        }

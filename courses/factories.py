"""Wagtail factories of course pages for tests: a course under the course index
(which a migration creates) and a module under a course."""

import factory
import wagtail_factories

from certifications.models import Certification
from courses.models import CourseIndexPage, CoursePage, ModulePage


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    parent = factory.LazyFunction(CourseIndexPage.objects.get)
    title = factory.Sequence(lambda n: f"Test course {n}")
    certification = factory.LazyFunction(lambda: Certification.objects.get(slug="cpc"))
    summary = "A course written for a test."
    overview = "<p>A course written for a test.</p>"


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    parent = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"Test module {n}")

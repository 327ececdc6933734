"""Load the demo courses (courses/demo/*.json) into the course index, idempotently.

Each file is imported on its own (all or nothing); the command fails at the end,
naming every problem of every invalid file, after loading the valid ones. The
demo courses are taught by the demo instructor, when that account exists, so
their reports and learners at risk have something to show."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from core.audit import ActorCommand
from core.imports import ImportRefused, file_read
from courses.importer import course_import
from courses.models import CoursePage
from courses.services import course_instructor_add

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_INSTRUCTOR = "instructor@demo.coderacademy.test"


class Command(ActorCommand):
    help = (
        "Create or update courses from coderacademy-course JSON files "
        "(default: courses/demo/*.json) and publish them under the course index."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "paths", nargs="*", help="Course files; the demo courses if none"
        )

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["paths"]] or sorted(DEMO_DIR.glob("*.json"))
        if not paths:
            self.stdout.write(f"No course files in {DEMO_DIR}.")
            return
        user = self.actor(options)
        failures, loaded = [], []
        for path in paths:
            try:
                data = file_read(path)
                report = course_import(data=data, file=path.name, user=user)
            except ImportRefused as error:
                failures += error.problems
                continue
            loaded.append(data["slug"])
            for warning in report.warnings:
                self.stderr.write(f"{path.name}: {warning}")
            self.stdout.write(
                f"{report.title}: {report.created} created, {report.updated} "
                f"updated, {report.unchanged} unchanged pages."
            )
        if not options["paths"]:
            self._assign_demo_instructor(loaded, actor=user)
        if failures:
            raise CommandError(str(ImportRefused(failures)))

    def _assign_demo_instructor(self, slugs: list[str], *, actor) -> None:
        instructor = get_user_model().objects.filter(email=DEMO_INSTRUCTOR).first()
        if instructor is None:
            self.stdout.write(f"{DEMO_INSTRUCTOR} does not exist: no course taught.")
            return
        for course in CoursePage.objects.filter(slug__in=slugs):
            if course_instructor_add(course=course, user=instructor, actor=actor):
                self.stdout.write(f"{course.title}: taught by {DEMO_INSTRUCTOR}.")

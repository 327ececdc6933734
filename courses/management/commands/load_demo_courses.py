"""Load the demo courses (courses/demo/*.json) into the course index, idempotently.

Each file is imported on its own (all or nothing); the command fails at the end,
naming every problem of every invalid file, after loading the valid ones."""

from pathlib import Path

from django.core.management.base import CommandError

from core.audit import ActorCommand
from core.imports import ImportRefused, file_read
from courses.importer import course_import

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


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
        failures = []
        for path in paths:
            try:
                report = course_import(data=file_read(path), file=path.name, user=user)
            except ImportRefused as error:
                failures += error.problems
                continue
            for warning in report.warnings:
                self.stderr.write(f"{path.name}: {warning}")
            self.stdout.write(
                f"{report.title}: {report.created} created, {report.updated} "
                f"updated, {report.unchanged} unchanged pages."
            )
        if failures:
            raise CommandError(str(ImportRefused(failures)))

"""Load the demo cases (case_studies/demo/cases/*.json) into the case library.

Idempotent: unchanged cases are skipped, changed ones get a new published
revision. Each file is imported on its own (all or nothing); the command fails at
the end, naming every invalid file, after loading the valid ones.
"""

from pathlib import Path

from django.core.management.base import CommandError

from case_studies.bundles import bundle_import
from core.audit import ActorCommand
from core.imports import ImportRefused, files_import

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "cases"


class Command(ActorCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dir", type=Path, default=DEMO_DIR)

    def handle(self, *args, dir: Path, **options):
        user = self.actor(options)
        reports, failures = files_import(
            sorted(dir.glob("*.json")),
            lambda data, name: bundle_import(data, file=name, user=user),
        )
        totals = {
            name: sum(len(getattr(report, name)) for report in reports)
            for name in ("created", "updated", "unchanged")
        }
        self.stdout.write(
            "Demo cases: {created} created, {updated} updated, "
            "{unchanged} unchanged.".format(**totals)
        )
        if failures:
            raise CommandError(str(ImportRefused(failures)))

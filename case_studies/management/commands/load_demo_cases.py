"""Load the demo cases (case_studies/demo/cases/*.json) into the case library.

Idempotent: unchanged cases are skipped, changed ones get a new published
revision. Each file is imported on its own (all or nothing); the command fails at
the end, naming every invalid file, after loading the valid ones.
"""

from pathlib import Path

from django.core.management.base import CommandError

from case_studies.bundles import bundle_import
from core.audit import ActorCommand
from core.imports import ImportRefused, file_read

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "cases"


class Command(ActorCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dir", type=Path, default=DEMO_DIR)

    def handle(self, *args, dir: Path, **options):
        user = self.actor(options)
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        failures = []
        for path in sorted(dir.glob("*.json")):
            try:
                report = bundle_import(file_read(path), file=path.name, user=user)
            except ImportRefused as error:
                failures += error.problems
                continue
            for name in totals:
                totals[name] += len(getattr(report, name))
        self.stdout.write(
            "Demo cases: {created} created, {updated} updated, "
            "{unchanged} unchanged.".format(**totals)
        )
        if failures:
            raise CommandError(str(ImportRefused(failures)))

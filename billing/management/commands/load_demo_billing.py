"""Load the demo billing scenarios (billing/demo/scenarios/*.json) into the billing
library, and give the demo learner (when there is one) a claim sent, denied and
appealed, waiting for an instructor's score.

Idempotent: unchanged scenarios are skipped, changed ones get a new published
revision. Each file is imported on its own (all or nothing); the command fails at
the end, naming every invalid file, after loading the valid ones.
"""

from collections import Counter
from pathlib import Path

from django.core.management.base import CommandError

from billing.demo import load_demo_billing_work
from billing.importer import scenario_import
from core.audit import ActorCommand
from core.imports import ImportRefused, files_import

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "scenarios"


class Command(ActorCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dir", type=Path, default=DEMO_DIR)

    def handle(self, *args, dir: Path, **options):
        user = self.actor(options)
        outcomes, failures = files_import(
            sorted(dir.glob("*.json")),
            lambda data, name: scenario_import(data, file=name, user=user),
        )
        counts = Counter(outcomes)
        self.stdout.write(
            f"Demo billing scenarios: {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged."
        )
        if failures:
            raise CommandError(str(ImportRefused(failures)))
        if load_demo_billing_work():
            self.stdout.write("The demo learner's claim sent, denied and appealed.")

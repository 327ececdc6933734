"""Make the demo class, "CPC evening cohort — demo", taught by the demo instructor,
with the demo learners and simulated classmates (class01…class20, the demo
password) and weeks of their work through the real services (idempotent: work
already done is not repeated)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.management.commands.create_demo_accounts import REFUSED_IN_PRODUCTION
from cohorts.demo import CLASS_NAMES, CLASS_SIZE, DEMO_EXAM, load_demo_class


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--learners",
            type=int,
            default=CLASS_SIZE,
            choices=range(1, len(CLASS_NAMES) + 1),
            metavar=f"1..{len(CLASS_NAMES)}",
            help="How many simulated learners (default %(default)s).",
        )
        parser.add_argument(
            "--exam", default=DEMO_EXAM, help="The mock exam's slug (%(default)s)."
        )

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(REFUSED_IN_PRODUCTION)
        summary = load_demo_class(size=options["learners"], exam_slug=options["exam"])
        self.stdout.write(
            f"Demo class: {summary.learners} learners; new: "
            f"{summary.case_attempts} case attempts, {summary.exam_attempts} exam "
            f"attempts, {summary.lessons} lessons, {summary.disputes} disputes."
        )

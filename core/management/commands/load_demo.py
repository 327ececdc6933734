"""Load everything the local demo shows, in the order each part needs the ones before
it: the code sets (keys and answers are checked against them), the demo accounts,
the case studies, the courses, the mock exams, the billing scenarios, the demo
learner's practice and readiness (graded answers to those cases and lesson checks),
then the demo class and its simulated history. Idempotent: every step skips or
updates what is already there, so a second run changes nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_STEPS = (
    "load_codesets",
    "create_demo_accounts",
    "load_demo_cases",
    "load_demo_courses",
    "load_demo_exams",
    "load_demo_billing",
    "load_demo_readiness",
    "load_demo_class",
)


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        for step in DEMO_STEPS:
            self.stdout.write(self.style.MIGRATE_HEADING(f"== {step}"))
            call_command(step, stdout=self.stdout, stderr=self.stderr)

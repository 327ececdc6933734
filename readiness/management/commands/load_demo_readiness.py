"""Give the demo learner practice activity through the real grading services,
and compute their readiness from it (idempotent: practice already done is not
repeated, and readiness is recomputed from the ledger)."""

import random

from django.core.management.base import BaseCommand, CommandError

from certifications.models import Certification
from readiness.demo import (
    DEMO_LEARNER,
    SEED,
    demo_learner,
    practise_cases,
    practise_checks,
    spread_over_time,
)
from readiness.services import items_recalibrate, readiness_history_rebuild


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        learner = demo_learner()
        if learner is None:
            raise CommandError(
                f"{DEMO_LEARNER} does not exist: run create_demo_accounts first."
            )
        rng = random.Random(SEED)
        rows = practise_cases(learner, rng) + practise_checks(learner, rng)
        rng.shuffle(rows)
        spread_over_time(rows, rng)
        items_recalibrate()
        certifications = Certification.objects.filter(
            domains__graded_responses__learner=learner
        ).distinct()
        days = 0
        for certification in certifications:
            days += readiness_history_rebuild(
                learner=learner, certification=certification
            )
        self.stdout.write(
            f"Demo readiness: {len(rows)} new graded answers for {DEMO_LEARNER}; "
            f"{days} daily snapshots over {certifications.count()} certifications."
        )

"""Export published cases (documentation and key) as a case bundle (JSON)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from case_studies.bundles import bundle_export
from case_studies.selectors import published_cases


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument(
            "--slug", action="append", help="Only these cases (repeatable)"
        )

    def handle(self, *args, out: Path, slug=None, **options):
        cases = published_cases()
        if slug:
            cases = cases.filter(slug__in=slug)
            missing = set(slug) - set(cases.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No published case: {', '.join(sorted(missing))}")
        bundle = bundle_export(cases)
        out.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"{len(bundle['cases'])} cases written to {out}.")

"""Import a case bundle (JSON): all cases or none; errors name the case and field."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from case_studies.bundles import BundleError, bundle_import
from core.audit import ActorCommand


def read_bundle(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: {error}") from None


class Command(ActorCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("bundle", type=Path)

    def handle(self, *args, bundle: Path, **options):
        try:
            report = bundle_import(read_bundle(bundle), user=self.actor(options))
        except BundleError as error:
            raise CommandError("\n".join(error.errors)) from None
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )

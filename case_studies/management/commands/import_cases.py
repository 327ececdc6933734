"""Import a case bundle (JSON): all cases or none; errors name the case and field."""

from pathlib import Path

from django.core.management.base import CommandError

from case_studies.bundles import bundle_import
from core.audit import ActorCommand
from core.imports import ImportRefused, file_read


class Command(ActorCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("bundle", type=Path)

    def handle(self, *args, bundle: Path, **options):
        try:
            report = bundle_import(
                file_read(bundle), file=bundle.name, user=self.actor(options)
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )

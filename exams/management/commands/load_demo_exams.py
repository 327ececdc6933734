from pathlib import Path

from django.core.management.base import CommandError

from core.audit import ActorCommand
from core.imports import ImportRefused
from exams.loading import content_import

DEMO = Path(__file__).resolve().parents[2] / "demo"


class Command(ActorCommand):
    help = (
        "Import and publish the question banks and blueprints in exams/demo/ "
        "(idempotent; all files or none)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--path", type=Path, default=DEMO)

    def handle(self, *args, path: Path, **options):
        if not path.is_dir():
            self.stdout.write(f"No exam content at {path}; nothing to load.")
            return
        try:
            questions, blueprints = content_import(path, user=self.actor(options))
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {questions} questions and {blueprints} blueprints.")

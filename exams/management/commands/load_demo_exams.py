from pathlib import Path

from django.core.management.base import CommandError

from core.audit import ActorCommand
from exams.loading import ContentError, content_import

DEMO = Path(__file__).resolve().parents[2] / "demo"


class Command(ActorCommand):
    help = (
        "Import and publish the question banks and blueprints in exams/demo/ "
        "(idempotent)."
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
        except ContentError as error:
            raise CommandError(
                "\n".join(f"{where}: {message}" for where, message in error.errors)
            ) from None
        self.stdout.write(f"Loaded {questions} questions and {blueprints} blueprints.")

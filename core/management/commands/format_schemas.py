"""Write the JSON Schema of every import format (the `SCHEMAS` of each app's
formats.py) to docs/formats/, or with --check fail naming each file that differs
from its models."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports import SCHEMA_DIR, format_schema, published_formats

OUT_OF_DATE = (
    "{names}: out of date with the format models; "
    "run `manage.py format_schemas` and commit the result."
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=SCHEMA_DIR)
        parser.add_argument(
            "--check", action="store_true", help="Compare instead of writing."
        )

    def handle(self, *args, dir: Path, check: bool, **options):
        schemas = {
            dir / f"{name}.schema.json": format_schema(name, model)
            for name, model in published_formats().items()
        }
        if check:
            stale = [
                path.name
                for path, text in schemas.items()
                if not path.exists() or path.read_text(encoding="utf-8") != text
            ]
            if stale:
                raise CommandError(OUT_OF_DATE.format(names=", ".join(stale)))
            self.stdout.write(f"{len(schemas)} schemas up to date.")
            return
        dir.mkdir(parents=True, exist_ok=True)
        for path, text in schemas.items():
            path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {len(schemas)} schemas to {dir}.")

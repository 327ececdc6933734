from pathlib import Path

from django.db import transaction

from certifications.formats import CertificationOutlines
from core.imports import file_read, file_validate

BUNDLED_OUTLINES = Path(__file__).parent / "data" / "certifications.json"


@transaction.atomic
def certifications_load(*, certification_model, domain_model, path=BUNDLED_OUTLINES):
    """Create or update certifications and their domains from a JSON outline.

    Takes the model classes so the data migration can pass historical models.
    Raises `ImportRefused` (and writes nothing) when the file breaks its format,
    certifications.formats.
    """
    path = Path(path)
    outlines = file_validate(CertificationOutlines, file_read(path), file=path.name)
    for entry in outlines.certifications:
        certification, _ = certification_model.objects.update_or_create(
            slug=entry.slug,
            defaults={
                "abbreviation": entry.abbreviation,
                "name": entry.name,
                "awarding_body": entry.awarding_body,
                "description": entry.description,
            },
        )
        for order, (slug, name, weight) in enumerate(entry.domains):
            domain_model.objects.update_or_create(
                slug=slug,
                defaults={
                    "certification": certification,
                    "name": name,
                    "weight": weight,
                    "sort_order": order,
                },
            )

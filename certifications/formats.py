"""The certification outlines file (certifications/data/certifications.json; schema in
docs/formats/certifications.schema.json): each certification and its exam domains
with their weights, loaded by a data migration."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.imports import FileFormat, Slug, Text

# A JSON array is a list, not a tuple: the entry itself is read laxly, its items
# strictly.
DomainEntry = Annotated[
    tuple[Slug, Text, Annotated[int, Field(strict=True, ge=0, le=100)]],
    Field(strict=False, description="[slug, name, weight in percent of the exam]"),
]


class CertificationOutline(FileFormat):
    slug: Slug
    abbreviation: Annotated[Text, Field(max_length=10)]
    name: Annotated[Text, Field(max_length=120)]
    awarding_body: Annotated[Text, Field(max_length=120)]
    description: str = ""
    domains: list[DomainEntry]


class CertificationOutlines(FileFormat):
    """The certifications the site prepares for, with their exam domains."""

    certifications: list[CertificationOutline]


SCHEMAS = {"certifications": CertificationOutlines}

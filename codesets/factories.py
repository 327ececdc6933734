"""Factories of code-set releases and their codes, for tests and benchmarks that need
a few codes without loading a whole code set. A code's display form, kind, search
text and digest follow from its code, system and description, as the loaders
derive them."""

import datetime

import factory
from django.utils import timezone

from codeformats import CodeSystem, display_form
from codesets.models import Code, Release
from codesets.models.codes import CodeKind


class CodeFactory(factory.django.DjangoModelFactory):
    """A billable code (pass `billable=False` for a header) of a release."""

    class Meta:
        model = Code

    release = factory.SubFactory("codesets.factories.ReleaseFactory")
    code = factory.Sequence(lambda n: f"Z{n:04d}")
    display = factory.LazyAttribute(
        lambda row: display_form(row.release.system, row.code)
    )
    billable = True
    kind = factory.LazyAttribute(
        lambda row: CodeKind.CODE if row.billable else CodeKind.CATEGORY
    )
    description = factory.LazyAttribute(lambda row: f"Test code {row.code}")
    search_text = factory.SelfAttribute("description")
    digest = factory.SelfAttribute("code")


class ReleaseFactory(factory.django.DjangoModelFactory):
    """A release in force from `effective_from`; `codes=[{"code": ..., ...}]` adds
    its codes (each dict the fields of a `CodeFactory`) in one insert."""

    class Meta:
        model = Release
        skip_postgeneration_save = True

    system = CodeSystem.ICD10CM
    version = factory.Sequence(lambda n: f"TEST-{n}")
    effective_from = datetime.date(2025, 10, 1)
    source = "tests"
    demo = True
    checksum = "0" * 64
    loaded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def codes(release, create, rows, **_):
        if not rows:
            return
        built = [CodeFactory.build(release=release, **row) for row in rows]
        if create:
            Code.objects.bulk_create(built)
            release.row_count = len(built)
            release.save(update_fields=["row_count"])

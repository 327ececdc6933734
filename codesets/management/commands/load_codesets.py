"""Load every bundled code set: full ICD-10-CM and ICD-10-PCS from their packages,
and CoderAcademy's demo HCPCS, CPT, modifier and NCCI lists. Idempotent: a release
whose rows have not changed is skipped."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from codesets.loaders import release_load_codes, release_load_mue, release_load_ptp
from codesets.management.commands._progress import progress_bar
from codesets.sources import bundled, drg_pcs, ncci, simple_icd10cm
from codesets.sources.records import ParseError

DEMO_VERSION = "demo"
DEMO_EFFECTIVE_FROM = date(2025, 1, 1)
SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt", "modifier", "ncci")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", action="append", choices=SYSTEMS, help="Load only these sets"
        )
        parser.add_argument(
            "--icd10cm-chapter",
            action="append",
            metavar="N",
            help="Load only these ICD-10-CM chapters (for quick tests)",
        )
        parser.add_argument(
            "--pcs-prefix",
            default="",
            help="Load only ICD-10-PCS codes starting with this (for quick tests)",
        )

    def handle(self, *args, only=None, icd10cm_chapter=None, pcs_prefix="", **opts):
        wanted = set(only or SYSTEMS)
        try:
            for system in SYSTEMS:
                if system in wanted:
                    getattr(self, f"_load_{system}")(
                        chapters=set(icd10cm_chapter or ()), pcs_prefix=pcs_prefix
                    )
        except ParseError as error:
            raise CommandError(
                f"{error}. Nothing of that release was loaded."
            ) from error

    def _report(self, summary) -> None:
        self.stdout.write(self.style.SUCCESS(str(summary)))

    def _bar(self, label: str):
        return progress_bar(self.stdout, label)

    def _load_icd10cm(self, *, chapters, **_):
        version = simple_icd10cm.VERSION
        if chapters:
            version += "-chapters-" + "-".join(sorted(chapters))
        self._report(
            release_load_codes(
                system="icd10cm",
                version=version,
                effective_from=simple_icd10cm.EFFECTIVE_FROM,
                source=simple_icd10cm.source_label(),
                records=simple_icd10cm.parse_package(chapters or None),
                progress=self._bar("ICD-10-CM"),
            )
        )

    def _load_icd10pcs(self, *, pcs_prefix, **_):
        version = drg_pcs.VERSION + (f"-{pcs_prefix}" if pcs_prefix else "")
        self._report(
            release_load_codes(
                system="icd10pcs",
                version=version,
                effective_from=drg_pcs.EFFECTIVE_FROM,
                source=drg_pcs.source_label(),
                records=drg_pcs.parse_package(pcs_prefix),
                progress=self._bar("ICD-10-PCS"),
            )
        )

    def _load_demo(self, system: str, parse, label: str) -> None:
        self._report(
            release_load_codes(
                system=system,
                version=DEMO_VERSION,
                effective_from=DEMO_EFFECTIVE_FROM,
                source=f"CoderAcademy demo list ({label})",
                records=parse(),
                demo=True,
                progress=self._bar(label),
            )
        )

    def _load_hcpcs(self, **_):
        self._load_demo("hcpcs", bundled.parse_hcpcs_demo, "hcpcs_demo.csv")

    def _load_cpt(self, **_):
        self._load_demo("cpt", bundled.parse_cpt_demo, "cpt_demo.csv")

    def _load_modifier(self, **_):
        self._load_demo("modifier", bundled.parse_modifiers, "modifiers.csv")

    def _load_ncci(self, **_):
        common = {
            "version": DEMO_VERSION,
            "effective_from": DEMO_EFFECTIVE_FROM,
            "demo": True,
        }
        ptp = bundled.DATA_DIR / "ncci_ptp_demo.txt"
        mue = bundled.DATA_DIR / "ncci_mue_demo.csv"
        self._report(
            release_load_ptp(
                source=f"CoderAcademy demo list ({ptp.name})",
                records=ncci.parse_ptp(ptp),
                progress=self._bar("NCCI PTP"),
                **common,
            )
        )
        self._report(
            release_load_mue(
                source=f"CoderAcademy demo list ({mue.name})",
                records=ncci.parse_mue(mue),
                progress=self._bar("NCCI MUE"),
                **common,
            )
        )

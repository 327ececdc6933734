"""Import an official code-set file as a release: CMS's ICD-10-CM or ICD-10-PCS
order file, CMS's HCPCS ANWEB file, the AMA's licensed CPT file, or CMS's NCCI
practitioner PTP or MUE file. All or nothing: a malformed line stops the import
with its line number, and nothing of the file is loaded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codesets.loaders import release_load_codes, release_load_mue, release_load_ptp
from codesets.management.commands._progress import progress_bar
from codesets.sources import ama_cpt, cms_order, hcpcs_anweb, ncci
from codesets.sources.records import ParseError

CODE_FORMATS = {
    "icd10cm-order": ("icd10cm", cms_order.parse_icd10cm_order),
    "icd10pcs-order": ("icd10pcs", cms_order.parse_icd10pcs_order),
    "hcpcs-anweb": ("hcpcs", hcpcs_anweb.parse_anweb),
    "cpt-ama": ("cpt", ama_cpt.parse_cpt_file),
}
EDIT_FORMATS = {
    "ncci-ptp": (release_load_ptp, ncci.parse_ptp),
    "ncci-mue": (release_load_mue, ncci.parse_mue),
}


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("format", choices=[*CODE_FORMATS, *EDIT_FORMATS])
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--release", dest="release_version", required=True, help="e.g. FY2027"
        )
        parser.add_argument("--effective-from", required=True, type=date.fromisoformat)
        parser.add_argument("--effective-to", type=date.fromisoformat)
        parser.add_argument("--source", help="Defaults to the file name")

    def handle(self, *args, **opts):
        path: Path = opts["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        common = {
            "version": opts["release_version"],
            "effective_from": opts["effective_from"],
            "effective_to": opts["effective_to"],
            "source": opts["source"] or path.name,
            "progress": progress_bar(self.stdout, opts["format"]),
        }
        try:
            if opts["format"] in CODE_FORMATS:
                system, parse = CODE_FORMATS[opts["format"]]
                summary = release_load_codes(
                    system=system,
                    records=parse(path),
                    licensed=system == "cpt",
                    **common,
                )
            else:
                load, parse = EDIT_FORMATS[opts["format"]]
                summary = load(records=parse(path), **common)
        except ParseError as error:
            raise CommandError(
                f"{path.name}: {error}. Nothing of the file was loaded."
            ) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))

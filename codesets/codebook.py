"""The grading engine's `CodeBook`, backed by the code-set database."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from codesets.formats import CodeSystem
from codesets.validation import validate_codes_on
from grading.engine.codebook import CodeStatus


class DatabaseCodeBook:
    """Answers the engine's look-ups from the release in force on the date.

    One call validates every code of a system in a fixed handful of queries
    (release, rows, children of headers, other releases of unknown codes).
    """

    def lookup(
        self,
        system: CodeSystem,
        codes: Collection[str],
        date_of_service: date,
    ) -> Mapping[str, CodeStatus]:
        """For each compact code: may it be reported on that date, and why not."""
        results = validate_codes_on(system, codes, date_of_service)
        return {
            code: CodeStatus(
                code=code,
                valid=result.valid,
                message=result.message if not result.valid else "",
                description=result.description,
            )
            for code, result in results.items()
        }

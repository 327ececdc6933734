"""Time the grading engine: a 20-line coding case, and a 100-item mock exam (90
multiple-choice items and 10 coding cases), with code look-ups through an in-memory
code book holding thousands of codes. Then the same case and exam through the
database code book, as the grading services use it (a new `DatabaseCodeBook` per
graded answer), on a throwaway test database (SQLite, or PostgreSQL when
DATABASE_URL is set) holding the same codes: cold (the process has forgotten every
status before each coding answer, as for the first grading after a release is
loaded: a fixed handful of queries per code system) and warm (the statuses it
remembers for the current releases: no query).

Run: .venv/bin/python benchmarks/bench_grading.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codeformats import CodeSystem  # noqa: E402
from grading.engine import (  # noqa: E402
    EXAM,
    PRACTICE,
    DictCodeBook,
    grade,
    grade_choice,
    parse_key,
    parse_response,
)

CASE_TARGET_MS = 2.0
EXAM_TARGET_MS = 10.0
DATABASE_EXAM_TARGET_MS = 15.0
ROUNDS = 2000
DATABASE_ROUNDS = 100
PCS_VALUES = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def realistic_codes() -> dict[CodeSystem, dict[str, str]]:
    """About 6,000 codes, shaped like the real code sets."""
    diagnoses = {
        f"{letter}{category:02d}{tail}": ""
        for letter in "EIJKMNSZ"
        for category in range(100)
        for tail in ("0", "1", "9", "65", "69")
    }
    procedures = {
        f"0{system}{operation}{part}{approach}ZZ": ""
        for system in "DST"
        for operation in "BTR"
        for part in PCS_VALUES[:12]
        for approach in "034"
    }
    cpt = {f"{number:05d}": "" for number in range(99201, 99500)}
    cpt |= {f"{number:05d}": "" for number in range(20600, 20700)}
    hcpcs = {
        f"{letter}{number:04d}": "" for letter in "AGJ" for number in range(0, 400)
    }
    return {
        CodeSystem.ICD10CM: diagnoses,
        CodeSystem.ICD10PCS: procedures,
        CodeSystem.CPT: cpt,
        CodeSystem.HCPCS: hcpcs,
    }


KEY = {
    "setting": "inpatient",
    "date_of_service": "2026-03-14",
    "diagnoses": [
        {"code": code, "rationale": "Fictional case.", "reference": "I.C.4.a"}
        for code in (
            "K35.0",
            "E11.65",
            "I10.1",
            "J44.9",
            "N18.1",
            "Z79.0",
            "M17.1",
            "S72.0",
            "E66.9",
            "I25.1",
        )
    ]
    + [{"code": "Z00.9", "optional": True, "alternatives": ["Z01.9"]}],
    "procedures": [{"code": "0DTJ4ZZ"}, {"code": "0DBK0ZZ"}, {"code": "0SRC0ZZ"}],
    "service_lines": [
        {"code": "99214", "modifiers": ["25"], "pointers": [2, 3]},
        {"code": "20610", "modifiers": ["RT"], "pointers": [7]},
        {"code": "20610", "modifiers": ["LT"], "pointers": [7]},
        {"code": "J0100", "units": 2, "pointers": [2]},
        {"code": "G0008", "alternatives": ["99460"], "pointers": [6]},
        {"code": "99211", "optional": True},
    ],
}
RESPONSE = {
    "diagnoses": [
        {"code": code}
        for code in (
            "E11.65",
            "K35.0",
            "I10.9",
            "J44.9",
            "N18.9",
            "Z79.0",
            "M17.1",
            "S72.1",
            "E66.9",
            "E11.6",
            "I25.1",
        )
    ],
    "procedures": [{"code": "0DTJ0ZZ"}, {"code": "0DBK0ZZ"}, {"code": "0SRC4ZZ"}],
    "service_lines": [
        {"code": "99214", "pointers": [1, 3]},
        {"code": "20610", "modifiers": ["LT"], "pointers": [7]},
        {"code": "20610", "modifiers": ["RT"], "pointers": [7]},
        {"code": "J0100", "units": 1, "pointers": [1]},
        {"code": "99460", "pointers": [6]},
        {"code": "93000"},
    ],
}
CHOICE_ITEMS = [
    ({"b"}, {"b"}) if index % 3 else ({"a", "c"}, {"a", "d"}) for index in range(90)
]


def timings_ms(run: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
    for _ in range(50):
        run()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        run()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def machine() -> str:
    """Cores, processor and load, so figures from different machines or a busy
    one are not compared blindly."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} cores, {model}; "
        f"Python {platform.python_version()} on {platform.system()}; "
        f"load average {load} (figures are only comparable on an idle machine)"
    )


def report(label: str, samples: list[float], target_ms: float | None) -> bool:
    median = statistics.median(samples)
    p99 = statistics.quantiles(samples, n=100)[98]
    passed = target_ms is None or median <= target_ms
    verdict = (
        "(no target)"
        if target_ms is None
        else f"target median <= {target_ms:.0f} ms: {'PASS' if passed else 'FAIL'}"
    )
    print(f"{label:<50} median {median:7.3f} ms   p99 {p99:7.3f} ms   {verdict}")
    return passed


def measure(
    label: str,
    code_book: Callable[[], object],
    rounds: int = ROUNDS,
    targets_ms: tuple[float | None, float | None] = (CASE_TARGET_MS, EXAM_TARGET_MS),
    before_each_answer: Callable[[], object] = lambda: None,
) -> list[bool]:
    """Report the case and the mock exam graded through a code book from
    `code_book()` per coding answer."""
    key = parse_key(KEY)
    response = parse_response(RESPONSE)
    line_count = len(response.diagnoses + response.procedures + response.service_lines)

    def grade_case() -> object:
        before_each_answer()
        return grade(key, response, PRACTICE, code_book())

    def grade_mock_exam() -> object:
        for correct, chosen in CHOICE_ITEMS:
            grade_choice(correct, chosen, EXAM)
        for _ in range(10):
            before_each_answer()
            grade(key, response, EXAM, code_book())
        return None

    case_target, exam_target = targets_ms
    return [
        report(
            f"{line_count}-line case, {label}",
            timings_ms(grade_case, rounds),
            case_target,
        ),
        report(
            f"100-item exam, {label}",
            timings_ms(grade_mock_exam, rounds),
            exam_target,
        ),
    ]


def database_code_book_rows() -> list[bool]:
    """The same gradings through `DatabaseCodeBook`, on a throwaway test database
    loaded with the same codes in one release per system."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from codeformats import display_form
    from codesets.models import Code, Release
    from grading.codebook import DatabaseCodeBook, remembered_statuses

    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        for system, codes in realistic_codes().items():
            release = Release.objects.create(
                system=system,
                version="BENCH",
                effective_from="2026-01-01",
                source="benchmarks/bench_grading.py",
                demo=True,
                checksum="0" * 64,
                row_count=len(codes),
                loaded_at=timezone.now(),
            )
            Code.objects.bulk_create(
                Code(
                    release=release,
                    code=code,
                    display=display_form(system, code),
                    kind="code",
                    billable=True,
                    description=description,
                    digest=code,
                )
                for code, description in codes.items()
            )
        cold = measure(
            f"database code book, cold ({connection.vendor})",
            DatabaseCodeBook,
            DATABASE_ROUNDS,
            targets_ms=(None, None),
            before_each_answer=remembered_statuses.forget,
        )
        warm = measure(
            f"database code book, warm ({connection.vendor})",
            DatabaseCodeBook,
            ROUNDS,
            targets_ms=(CASE_TARGET_MS, DATABASE_EXAM_TARGET_MS),
        )
        return cold + warm
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> int:
    print(machine())
    print("Code book: realistic synthetic sets of about 6,000 codes.")
    in_memory_book = DictCodeBook(realistic_codes())
    in_memory = measure("in-memory code book", lambda: in_memory_book)
    database = database_code_book_rows()
    print(
        "Cold rows: every coding answer's codes resolved by queries (the first "
        "grading after a release is loaded); warm rows: the statuses this process "
        "remembers for the current releases."
    )
    return 0 if all(in_memory + database) else 1


if __name__ == "__main__":
    sys.exit(main())

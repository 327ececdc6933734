"""Grading a coding answer against its key: `grade`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache, partial

from codesets.formats import CodeSystem, FormatCheck, display_form
from grading.engine.codebook import CodeBook, CodeStatus, not_in_code_set
from grading.engine.compare import (
    Comparison,
    PointerContext,
    candidate_bucket,
    compare_diagnosis,
    compare_procedure,
    compare_service_line,
)
from grading.engine.matching import best_assignment
from grading.engine.policy import ScoringPolicy
from grading.engine.result import (
    CodeMetrics,
    Difference,
    DifferenceKind,
    LineResult,
    LineStatus,
    Result,
    StatusCounts,
)
from grading.engine.schema import (
    AnswerKey,
    GivenLine,
    KeyLine,
    Response,
    Section,
    Setting,
    check_section_code,
)

METRIC_NAMES = {
    Section.DIAGNOSES: "icd10cm",
    Section.PROCEDURES: "icd10pcs",
    Section.SERVICE_LINES: "cpt_hcpcs",
}
OVERALL = "overall"
CREDIT_RESOLUTION = 1_000_000
KEY_CODE_NOT_VALID = "the key's code is not valid on the date of service"

Compare = Callable[[KeyLine, GivenLine, str], Comparison | None]
Identity = Callable[[GivenLine, FormatCheck], Hashable]
Statuses = Mapping[tuple[CodeSystem, str], CodeStatus]


@dataclass(frozen=True)
class _SectionOutcome:
    """`key_index_of_given` also maps each repeated line to the key line its first
    copy was matched with."""

    lines: tuple[LineResult, ...]
    key_index_of_given: Mapping[int, int]
    metrics: CodeMetrics


@lru_cache(maxsize=16384)
def _checked(section: Section, raw: str) -> FormatCheck:
    """Format checks are pure and the same codes come back grading after grading."""
    return check_section_code(section, raw)


def _principal_name(section: Section, setting: Setting) -> str | None:
    """The name of the line that must come first, or None if order is free."""
    if section is Section.DIAGNOSES:
        if setting is Setting.INPATIENT:
            return "principal diagnosis"
        return "first-listed diagnosis"
    if section is Section.PROCEDURES and setting is Setting.INPATIENT:
        return "principal procedure"
    return None


def _display(check: FormatCheck) -> str:
    return display_form(check.system, check.code) if check.ok else check.raw.strip()


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


class _SectionGrader:
    """Grades one section: validity, duplicates, fair matching, sequence, points."""

    def __init__(
        self,
        section: Section,
        key: AnswerKey,
        given_lines: Sequence[GivenLine],
        checks: Sequence[FormatCheck],
        statuses: Statuses,
        policy: ScoringPolicy,
    ) -> None:
        self.section = section
        self.key_lines = key.section(section)
        self.given_lines = given_lines
        self.checks = checks
        self.statuses = statuses
        self.policy = policy
        self.principal = _principal_name(section, key.setting)
        self.key_codes = {code for line in self.key_lines for code in line.codes}

    def grade(self, compare: Compare, identity: Identity) -> _SectionOutcome:
        unmatchable, first_copy, candidates = self._screen_given_lines(identity)
        comparisons = self._compare_candidates(candidates, compare)
        assignment = best_assignment(
            {
                pair: self._score(pair, comparison)
                for pair, comparison in comparisons.items()
            }
        )
        given_of_key = {key_index: given for given, key_index in assignment.items()}
        lines = [
            self._key_line_result(
                key_index,
                given_of_key.get(key_index),
                comparisons.get((given_of_key.get(key_index), key_index)),
            )
            for key_index in range(len(self.key_lines))
        ]
        for given_index in range(len(self.given_lines)):
            if given_index in unmatchable:
                lines.append(unmatchable[given_index])
            elif given_index not in assignment:
                lines.append(self._extra_result(given_index))
        key_index_of_given = dict(assignment)
        for repeat, first in first_copy.items():
            if first in assignment:
                key_index_of_given[repeat] = assignment[first]
        return _SectionOutcome(
            tuple(lines),
            key_index_of_given,
            self._metrics(assignment, comparisons, unmatchable),
        )

    def _screen_given_lines(
        self, identity: Identity
    ) -> tuple[dict[int, LineResult], dict[int, int], list[int]]:
        """Set aside invalid codes and repeats (noting each repeat's first copy);
        the rest may be matched."""
        unmatchable: dict[int, LineResult] = {}
        first_position: dict[Hashable, int] = {}
        first_copy: dict[int, int] = {}
        candidates = []
        for given_index, (line, check) in enumerate(
            zip(self.given_lines, self.checks, strict=True)
        ):
            problem = self._validity_problem(check)
            if problem:
                unmatchable[given_index] = self._invalid_result(given_index, problem)
                continue
            same_as = identity(line, check)
            if same_as in first_position:
                first_copy[given_index] = first_position[same_as]
                unmatchable[given_index] = self._duplicate_result(
                    given_index, first_position[same_as]
                )
                continue
            first_position[same_as] = given_index
            candidates.append(given_index)
        return unmatchable, first_copy, candidates

    def _validity_problem(self, check: FormatCheck) -> str:
        if not check.ok:
            return check.message
        # The key is the authority on its own codes: a key that a new release made
        # outdated is reported in key_warnings instead of failing the learner.
        if check.code in self.key_codes:
            return ""
        status = self.statuses[check.system, check.code]
        if status.valid:
            return ""
        return status.message or f"{_display(check)} may not be reported."

    def _compare_candidates(
        self, candidates: list[int], compare: Compare
    ) -> dict[tuple[int, int], Comparison]:
        key_lines_in_bucket: dict[str, list[int]] = defaultdict(list)
        for key_index, line in enumerate(self.key_lines):
            for bucket in dict.fromkeys(
                candidate_bucket(self.section, code) for code in line.codes
            ):
                key_lines_in_bucket[bucket].append(key_index)
        comparisons = {}
        for given_index in candidates:
            code = self.checks[given_index].code
            for key_index in key_lines_in_bucket.get(
                candidate_bucket(self.section, code), ()
            ):
                comparison = compare(
                    self.key_lines[key_index], self.given_lines[given_index], code
                )
                if comparison is not None:
                    comparisons[given_index, key_index] = comparison
        return comparisons

    def _score(self, pair: tuple[int, int], comparison: Comparison) -> tuple[int, ...]:
        """Best fit first (credit after the sequence check), then the most points
        (fits to optional lines earn none), then as many pairs as possible, then the
        closest pairings. Every tier that affects the score is fixed by the ones
        before it, so equally good pairings always score the same."""
        given_index, key_index = pair
        credit, _ = self._credit_in_place(key_index, given_index, comparison)
        credit_units = round(credit * CREDIT_RESOLUTION)
        return (
            credit_units,
            0 if self.key_lines[key_index].optional else credit_units,
            1,
            comparison.closeness,
        )

    def _credit_in_place(
        self, key_index: int, given_index: int, comparison: Comparison
    ) -> tuple[float, tuple[Difference, ...]]:
        """The comparison's credit and differences, with the sequence check added:
        the principal (or first-listed) key line must be the first given line."""
        if key_index != 0 or given_index == 0 or self.principal is None:
            return comparison.credit, comparison.differences
        expected = _display(_checked(self.section, self.key_lines[0].code))
        out_of_place = Difference(
            DifferenceKind.SEQUENCE,
            f"{expected} is the {self.principal} and must be listed first; "
            f"you listed it in position {given_index + 1}.",
            "1",
            str(given_index + 1),
        )
        credit = max(0.0, comparison.credit - self.policy.sequence_deduction)
        return credit, (*comparison.differences, out_of_place)

    def _key_line_result(
        self,
        key_index: int,
        given_index: int | None,
        comparison: Comparison | None,
    ) -> LineResult:
        line = self.key_lines[key_index]
        expected = _display(_checked(self.section, line.code))
        max_points = 0.0 if line.optional else self.policy.points_per_line
        common = {
            "section": self.section,
            "max_points": max_points,
            "expected_index": key_index,
            "expected_code": expected,
            "rationale": line.rationale,
            "reference": line.reference,
        }
        if given_index is None or comparison is None:
            if line.optional:
                status = LineStatus.OMITTED
                message = f"Not required: {expected} could also have been listed."
            else:
                status, message = (
                    LineStatus.MISSING,
                    f"Missing: the key has {expected}.",
                )
            return LineResult(status=status, points=0.0, message=message, **common)
        check = self.checks[given_index]
        given = _display(check)
        credit, differences = self._credit_in_place(key_index, given_index, comparison)
        status = LineStatus.PARTIAL if differences else LineStatus.EXACT
        if self.policy.all_or_nothing:
            credit = 1.0 if status is LineStatus.EXACT else 0.0
        return LineResult(
            status=status,
            points=round(max_points * credit, 4),
            message=self._matched_message(status, given, expected, comparison, check),
            given_index=given_index,
            given_code=given,
            differences=differences,
            common_error=self._common_error(check.code, (line,)),
            **common,
        )

    def _matched_message(
        self,
        status: LineStatus,
        given: str,
        expected: str,
        comparison: Comparison,
        check: FormatCheck,
    ) -> str:
        right_code = comparison.matched_code == check.code
        if status is LineStatus.EXACT:
            if given == expected:
                return f"Correct: {given}."
            return f"Correct: {given} is accepted in place of {expected}."
        if right_code:
            count = len(comparison.differences) or 1
            return (
                f"Partly correct: {given} is the right code, but the line has "
                f"{count} {_plural(count, 'mistake')}."
            )
        return f"Partly correct: you gave {given}; the key has {expected}."

    def _common_error(self, code: str, lines: Sequence[KeyLine]) -> str:
        for line in lines:
            for error in line.common_errors:
                if error.code == code:
                    return error.explanation
        return ""

    def _unmatched_result(
        self,
        given_index: int,
        status: LineStatus,
        message: str,
        differences: tuple[Difference, ...] = (),
        validator_message: str = "",
    ) -> LineResult:
        check = self.checks[given_index]
        return LineResult(
            section=self.section,
            status=status,
            points=0.0,
            max_points=0.0,
            message=message,
            given_index=given_index,
            given_code=_display(check),
            differences=differences,
            validator_message=validator_message,
            common_error=self._common_error(check.code, self.key_lines),
        )

    def _invalid_result(self, given_index: int, problem: str) -> LineResult:
        given = _display(self.checks[given_index])
        return self._unmatched_result(
            given_index,
            LineStatus.INVALID,
            f"Not a valid code: {given} earns no credit.",
            (Difference(DifferenceKind.INVALID, problem, given=given),),
            validator_message=problem,
        )

    def _duplicate_result(self, given_index: int, first_index: int) -> LineResult:
        given = _display(self.checks[given_index])
        return self._unmatched_result(
            given_index,
            LineStatus.EXTRA,
            f"Extra: {given} is listed twice; list it once.",
            (
                Difference(
                    DifferenceKind.DUPLICATE,
                    f"{given} already appears in position {first_index + 1}.",
                    given=given,
                ),
            ),
        )

    def _extra_result(self, given_index: int) -> LineResult:
        given = _display(self.checks[given_index])
        return self._unmatched_result(
            given_index, LineStatus.EXTRA, f"Extra: {given} is not in the answer key."
        )

    def _metrics(
        self,
        assignment: Mapping[int, int],
        comparisons: Mapping[tuple[int, int], Comparison],
        unmatchable: Mapping[int, LineResult],
    ) -> CodeMetrics:
        """Exact-code agreement; a repeated line is one code, counted once."""
        found = {
            key_index
            for given_index, key_index in assignment.items()
            if comparisons[given_index, key_index].matched_code
            == self.checks[given_index].code
        }
        repeats = sum(
            1 for result in unmatchable.values() if result.status is LineStatus.EXTRA
        )
        return CodeMetrics(
            true_positives=len(found),
            false_positives=len(self.given_lines) - repeats - len(found),
            false_negatives=sum(
                1
                for key_index, line in enumerate(self.key_lines)
                if not line.optional and key_index not in found
            ),
        )


def _look_up_codes(
    key: AnswerKey,
    checks: Mapping[Section, Sequence[FormatCheck]],
    codebook: CodeBook,
) -> tuple[dict[tuple[CodeSystem, str], CodeStatus], tuple[str, ...]]:
    """One code-book call per code system for all codes of the key and response;
    also the warnings about key codes the code book rejects."""
    key_checks = {
        section: [
            [_checked(section, code) for code in line.codes]
            for line in key.section(section)
        ]
        for section in Section
    }
    wanted: dict[CodeSystem, set[str]] = defaultdict(set)
    for section in Section:
        for line_checks in key_checks[section]:
            for check in line_checks:
                wanted[check.system].add(check.code)
        for check in checks[section]:
            if check.ok:
                wanted[check.system].add(check.code)
    statuses = {}
    for system in sorted(wanted):
        found = codebook.lookup(system, frozenset(wanted[system]), key.date_of_service)
        for code in wanted[system]:
            statuses[system, code] = found.get(code) or not_in_code_set(
                system, code, key.date_of_service
            )
    warnings = tuple(
        f"{section.value}[{index}]: {status.message or KEY_CODE_NOT_VALID}"
        for section in Section
        for index, line_checks in enumerate(key_checks[section])
        for check in line_checks
        if not (status := statuses[check.system, check.code]).valid
    )
    return statuses, warnings


def _same_code(line: GivenLine, check: FormatCheck) -> Hashable:
    return check.code


def _total(lines: Sequence[LineResult], counts: StatusCounts, policy: ScoringPolicy):
    max_points = sum(line.max_points for line in lines)
    if policy.all_or_nothing:
        flawless = not (
            counts.partial or counts.missing or counts.extra or counts.invalid
        )
        return (max_points if flawless else 0.0), max_points
    points = sum(line.points for line in lines)
    points -= policy.extra_line_penalty * (counts.extra + counts.invalid)
    if policy.floor_at_zero:
        points = max(0.0, points)
    return points, max_points


def grade(
    key: AnswerKey, response: Response, policy: ScoringPolicy, codebook: CodeBook
) -> Result:
    """Grade a coding answer: every key line ends exact, partial, missing (or
    omitted, when optional); every given line matching none is extra or invalid.

    Given lines are paired with key lines by an optimal assignment that maximises
    credit, so the order of secondary lines never matters; the principal (or
    first-listed) line's place is checked after matching.
    """
    checks = {
        section: [_checked(section, line.code) for line in response.section(section)]
        for section in Section
    }
    statuses, key_warnings = _look_up_codes(key, checks, codebook)

    def grader(section: Section) -> _SectionGrader:
        return _SectionGrader(
            section, key, response.section(section), checks[section], statuses, policy
        )

    diagnoses = grader(Section.DIAGNOSES).grade(
        lambda line, given, code: compare_diagnosis(line, code, policy), _same_code
    )
    procedures = grader(Section.PROCEDURES).grade(
        lambda line, given, code: compare_procedure(line, code, policy), _same_code
    )
    pointer_context = PointerContext(
        key_diagnoses=tuple(
            display_form(CodeSystem.ICD10CM, line.code) for line in key.diagnoses
        ),
        given_diagnoses=tuple(_display(check) for check in checks[Section.DIAGNOSES]),
        key_index_of_given=diagnoses.key_index_of_given,
    )
    diagnosis_codes = [check.code for check in checks[Section.DIAGNOSES]]

    def same_service(line: GivenLine, check: FormatCheck) -> Hashable:
        pointed = frozenset(diagnosis_codes[pointer - 1] for pointer in line.pointers)
        return (check.code, frozenset(line.modifiers), line.units, pointed)

    service_lines = grader(Section.SERVICE_LINES).grade(
        partial(compare_service_line, policy=policy, context=pointer_context),
        same_service,
    )
    outcomes = {
        Section.DIAGNOSES: diagnoses,
        Section.PROCEDURES: procedures,
        Section.SERVICE_LINES: service_lines,
    }
    lines = tuple(line for outcome in outcomes.values() for line in outcome.lines)
    counts = StatusCounts(
        **{
            field.name: sum(1 for line in lines if line.status.value == field.name)
            for field in fields(StatusCounts)
        }
    )
    points, max_points = _total(lines, counts, policy)
    metrics = {
        METRIC_NAMES[section]: outcome.metrics
        for section, outcome in outcomes.items()
        if key.section(section) or response.section(section)
    }
    metrics[OVERALL] = sum(metrics.values(), CodeMetrics(0, 0, 0))
    return Result(
        policy=policy.name,
        points=round(points, 4),
        max_points=round(max_points, 4),
        percentage=round(100 * points / max_points, 2) if max_points else 0.0,
        lines=lines,
        counts=counts,
        metrics=metrics,
        key_warnings=key_warnings,
    )

"""Grading a coding answer against its key: `grade`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from codeformats import CodeSystem, FormatCheck, display_form
from grading.engine.codebook import CodeBook, CodeStatus, not_in_code_set
from grading.engine.compare import (
    Charge,
    Comparison,
    Costs,
    PointerContext,
    candidate_bucket,
    compare_diagnosis,
    compare_procedure,
    compare_service_line,
    credit_after,
    side_of,
)
from grading.engine.explain import explain_lines
from grading.engine.matching import best_assignment
from grading.engine.policy import ScoringPolicy
from grading.engine.result import (
    CodeMetrics,
    Deduction,
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
    unmatched_key: frozenset[int] = frozenset()


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


def _dashed(modifiers: Sequence[str]) -> str:
    return "".join(f"-{modifier}" for modifier in modifiers)


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def _link_share_cap(
    key: AnswerKey, diagnoses: _SectionOutcome, costs: Costs, policy: ScoringPolicy
) -> dict[int, float]:
    """Per matched key diagnosis, the credit it earned spread over the key's service
    lines that link to it, as a share of one service line's points."""
    links = Counter(
        pointer - 1 for line in key.service_lines for pointer in set(line.pointers)
    )
    line_points = costs["weight_service_line"] * policy.points_per_line
    if not line_points:
        return {}
    return {
        line.expected_index: line.points / links[line.expected_index] / line_points
        for line in diagnoses.lines
        if line.expected_index is not None
        and line.given_index is not None
        and links[line.expected_index]
    }


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
        costs: Costs,
    ) -> None:
        self.section = section
        self.setting = key.setting
        self.key_lines = key.section(section)
        self.given_lines = given_lines
        self.checks = checks
        self.statuses = statuses
        self.policy = policy
        self.costs = costs
        self.principal = _principal_name(section, key.setting)
        self.key_codes = {code for line in self.key_lines for code in line.codes}
        self.max_points = [
            0.0 if line.optional else self._weight(index, line) * policy.points_per_line
            for index, line in enumerate(self.key_lines)
        ]

    def _weight(self, key_index: int, line: KeyLine) -> float:
        """How many lines' points a key line is worth in this setting."""
        if self.section is Section.SERVICE_LINES:
            return self.costs["weight_service_line"]
        if self.section is Section.PROCEDURES:
            if key_index == 0 and self.principal:
                return self.costs["weight_principal_procedure"]
            return 1.0
        if key_index == 0:
            return self.costs["weight_principal_diagnosis"]
        if self.setting is Setting.INPATIENT and self._cc_mcc(line.code):
            return self.costs["weight_cc_mcc_diagnosis"]
        return 1.0

    def _cc_mcc(self, code: str) -> str:
        status = self.statuses.get((CodeSystem.ICD10CM, code))
        return status.cc_mcc if status else ""

    def _penalty(self, given_index: int) -> tuple[str, float]:
        """The row and points an unmatched given line costs."""
        check = self.checks[given_index]
        if (
            self.section is Section.DIAGNOSES
            and self.setting is Setting.INPATIENT
            and check.ok
            and self._cc_mcc(check.code)
        ):
            return "extra_cc_mcc", self.costs["extra_cc_mcc"]
        return "extra_line", self.costs["extra_line"]

    def grade(self, compare: Compare, identity: Identity) -> _SectionOutcome:
        unmatchable, first_copy, candidates = self._screen_given_lines(identity)
        comparisons = self._compare_candidates(candidates, compare)
        assignment = best_assignment(
            {
                pair: self._score(pair, comparison)
                for pair, comparison in comparisons.items()
            }
        )
        absorbed = self._absorb_splits(assignment, comparisons, candidates)
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
            elif given_index in absorbed:
                lines.append(self._absorbed_result(given_index, *absorbed[given_index]))
            elif given_index not in assignment:
                lines.append(self._extra_result(given_index))
        key_index_of_given = dict(assignment)
        key_index_of_given.update(
            {given: key_index for given, (key_index, _) in absorbed.items()}
        )
        for repeat, first in first_copy.items():
            if first in key_index_of_given:
                key_index_of_given[repeat] = key_index_of_given[first]
        return _SectionOutcome(
            tuple(lines),
            key_index_of_given,
            self._metrics(assignment, comparisons, unmatchable),
            frozenset(
                key_index
                for key_index, line in enumerate(self.key_lines)
                if key_index not in given_of_key and not line.optional
            ),
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
        """The points the pairing is worth to the total (what the line earns, plus
        the extra-line penalty the given line no longer costs), then as many
        pairs as possible, then the best fits (to optional lines too), then the
        closest. Every tier that affects the score is fixed by the ones before
        it, so equally good pairings always score the same."""
        given_index, key_index = pair
        credit, _, _ = self._credit_in_place(key_index, given_index, comparison)
        worth = credit * self.max_points[key_index] + self._penalty(given_index)[1]
        return (
            round(worth * CREDIT_RESOLUTION),
            1,
            round(credit * CREDIT_RESOLUTION),
            comparison.closeness,
        )

    def _credit_in_place(
        self, key_index: int, given_index: int, comparison: Comparison
    ) -> tuple[float, tuple[Difference, ...], tuple[Charge, ...]]:
        """The comparison's credit, differences and charges, with the sequence
        check added: the principal (or first-listed) key line must be the first
        given line."""
        if key_index != 0 or given_index == 0 or self.principal is None:
            return comparison.credit, comparison.differences, comparison.charges
        expected = _display(_checked(self.section, self.key_lines[0].code))
        message = (
            f"{expected} is the {self.principal} and must be listed first; "
            f"you listed it in position {given_index + 1}."
        )
        out_of_place = Difference(
            DifferenceKind.SEQUENCE, message, "1", str(given_index + 1)
        )
        row = (
            "principal_out_of_place"
            if self.section is Section.DIAGNOSES
            else "principal_procedure_out_of_place"
        )
        left = credit_after(comparison.charges)
        charge = Charge(row, min(left, self.costs[row]), message)
        charges = (*comparison.charges, charge)
        return (
            credit_after(charges),
            (*comparison.differences, out_of_place),
            charges,
        )

    def _absorb_splits(
        self,
        assignment: dict[int, int],
        comparisons: dict[tuple[int, int], Comparison],
        candidates: list[int],
    ) -> dict[int, tuple[int, int]]:
        """Right and left lines where the key has one bilateral line are one
        mistake: the matched half is charged `bilateral_split` (instead of its
        near-miss rows), the other half nothing. Returns {absorbed given line:
        (key line, given line charged)}."""
        absorbed: dict[int, tuple[int, int]] = {}
        unmatched = [index for index in candidates if index not in assignment]
        for given_index, key_index in sorted(assignment.items()):
            comparison = comparisons[given_index, key_index]
            if comparison.credit >= 1:
                continue
            for other in unmatched:
                if other in absorbed or not self._is_split(
                    key_index, given_index, other
                ):
                    continue
                comparisons[given_index, key_index] = self._as_split(
                    comparison, key_index, given_index, other
                )
                absorbed[other] = (key_index, given_index)
                break
        return absorbed

    def _is_split(self, key_index: int, first: int, second: int) -> bool:
        line = self.key_lines[key_index]
        codes = self.checks[first].code, self.checks[second].code
        if self.section is Section.SERVICE_LINES:
            modifiers = {
                side
                for index in (first, second)
                for side in self.given_lines[index].modifiers
                if side in ("RT", "LT")
            }
            return (
                "50" in line.modifiers
                and all(code in line.codes for code in codes)
                and modifiers == {"RT", "LT"}
            )
        if self.section is not Section.DIAGNOSES:
            return False
        sides = {side_of(self._description(code)) for code in codes}
        return (
            side_of(self._description(line.code)) == "bilateral"
            and sides == {"right", "left"}
            and all(code[:3] == line.code[:3] for code in codes)
        )

    def _description(self, code: str) -> str:
        status = self.statuses.get((CodeSystem.ICD10CM, code))
        return status.description if status else ""

    def _as_split(
        self, comparison: Comparison, key_index: int, first: int, second: int
    ) -> Comparison:
        expected = _display(_checked(self.section, self.key_lines[key_index].code))
        given = " and ".join(
            _display(self.checks[index]) + self._sides(index)
            for index in (first, second)
        )
        message = (
            f"{given} say the same as the key's bilateral {expected}: report it "
            f"once, as the bilateral code."
        )
        replaced = {"modifier", "specificity", "laterality"}
        kept_charges = [
            charge
            for charge in comparison.charges
            if not charge.rule.startswith(("icd10cm_", "modifier_"))
        ]
        charges = (
            Charge("bilateral_split", self.costs["bilateral_split"], message),
            *kept_charges,
        )
        differences = (
            Difference(DifferenceKind.BILATERAL, message, expected, given),
            *(
                item
                for item in comparison.differences
                if item.kind.value not in replaced
            ),
        )
        return Comparison(
            credit_after(charges),
            comparison.closeness,
            comparison.matched_code,
            differences,
            charges,
        )

    def _sides(self, given_index: int) -> str:
        if self.section is not Section.SERVICE_LINES:
            return ""
        return _dashed(self.given_lines[given_index].modifiers)

    def _key_line_result(
        self,
        key_index: int,
        given_index: int | None,
        comparison: Comparison | None,
    ) -> LineResult:
        line = self.key_lines[key_index]
        expected = _display(_checked(self.section, line.code))
        max_points = self.max_points[key_index]
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
                deductions: tuple[Deduction, ...] = ()
            else:
                status = LineStatus.MISSING
                message = f"Missing: the key has {expected}."
                deductions = (Deduction("missing", max_points, message),)
            return LineResult(
                status=status,
                points=0.0,
                message=message,
                deductions=deductions,
                **common,
            )
        check = self.checks[given_index]
        given = _display(check)
        _, differences, charges = self._credit_in_place(
            key_index, given_index, comparison
        )
        deductions = tuple(
            Deduction(charge.rule, round(max_points * charge.share, 4), charge.reason)
            for charge in charges
            if charge.share > 0
        )
        right_code = comparison.matched_code == check.code
        status = (
            LineStatus.PARTIAL
            if any(item.points > 0 for item in deductions) or not right_code
            else LineStatus.EXACT
        )
        return LineResult(
            status=status,
            points=round(max_points - sum(item.points for item in deductions), 4),
            message=self._matched_message(
                status, given, expected, comparison, check, differences
            ),
            given_index=given_index,
            given_code=given,
            differences=differences,
            common_error=self._common_error(check.code, (line,)),
            deductions=deductions,
            explanations=self._modifier_alternative_notes(line, given_index),
            **common,
        )

    def _modifier_alternative_notes(
        self, line: KeyLine, given_index: int
    ) -> tuple[str, ...]:
        """Why the given modifiers are accepted, when they are an alternative set."""
        given = frozenset(self.given_lines[given_index].modifiers)
        for alternative in line.modifier_alternatives:
            if frozenset(alternative.modifiers) == given != frozenset(line.modifiers):
                return (
                    f"{_dashed(alternative.modifiers) or 'No modifier'} accepted "
                    f"in place of {_dashed(line.modifiers) or 'no modifier'}: "
                    f"{alternative.reason}",
                )
        return ()

    def _matched_message(
        self,
        status: LineStatus,
        given: str,
        expected: str,
        comparison: Comparison,
        check: FormatCheck,
        differences: tuple[Difference, ...],
    ) -> str:
        right_code = comparison.matched_code == check.code
        if status is LineStatus.EXACT:
            if given == expected:
                return f"Correct: {given}."
            return f"Correct: {given} is accepted in place of {expected}."
        if right_code:
            count = len(differences) or 1
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
        charged: bool = True,
    ) -> LineResult:
        check = self.checks[given_index]
        deductions: tuple[Deduction, ...] = ()
        if charged:
            rule, penalty = self._penalty(given_index)
            if status is LineStatus.INVALID:
                rule, penalty = "extra_line", self.costs["extra_line"]
            if penalty:
                deductions = (Deduction(rule, penalty, message),)
        return LineResult(
            section=self.section,
            status=status,
            points=-sum(item.points for item in deductions),
            max_points=0.0,
            message=message,
            given_index=given_index,
            given_code=_display(check),
            differences=differences,
            validator_message=validator_message,
            common_error=self._common_error(check.code, self.key_lines),
            deductions=deductions,
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

    def _absorbed_result(
        self, given_index: int, key_index: int, charged_on: int
    ) -> LineResult:
        given = _display(self.checks[given_index])
        expected = _display(_checked(self.section, self.key_lines[key_index].code))
        return self._unmatched_result(
            given_index,
            LineStatus.EXTRA,
            f"Not charged again: {given} is the other half of the bilateral "
            f"{expected}, charged once on "
            f"{_display(self.checks[charged_on])}.",
            charged=False,
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


ALL_OR_NOTHING = (
    "All or nothing: the item earns its maximum only when every required line is "
    "exact and nothing is extra or invalid."
)
FLOOR_AT_ZERO = "The total never goes below zero."


def _total(
    lines: Sequence[LineResult], counts: StatusCounts, policy: ScoringPolicy
) -> tuple[float, float, tuple[Deduction, ...]]:
    """The total, the maximum and the adjustments that take the sum of the line
    points to the total (each taking its `points` off; a negative one adds)."""
    max_points = round(sum(line.max_points for line in lines), 4)
    lines_total = round(sum(line.points for line in lines), 4)
    if policy.all_or_nothing:
        flawless = not (
            counts.partial or counts.missing or counts.extra or counts.invalid
        )
        points = max_points if flawless else 0.0
        if points == lines_total:
            return points, max_points, ()
        adjustment = Deduction(
            "all_or_nothing", round(lines_total - points, 4), ALL_OR_NOTHING
        )
        return points, max_points, (adjustment,)
    if policy.floor_at_zero and lines_total < 0:
        floor = Deduction("floor_at_zero", lines_total, FLOOR_AT_ZERO)
        return 0.0, max_points, (floor,)
    return lines_total, max_points, ()


def _summary(
    lines: Sequence[LineResult],
    points: float,
    max_points: float,
    adjustments: Sequence[Deduction],
) -> str:
    """One paragraph explaining the total from the deductions."""
    by_rule: dict[str, float] = defaultdict(float)
    for line in lines:
        for deduction in line.deductions:
            by_rule[deduction.rule] += deduction.points
    taken = round(sum(by_rule.values()), 4)
    parts = [
        f"{points:g} of {max_points:g} points: the key is worth {max_points:g}, "
        f"and {taken:g} {'point was' if taken == 1 else 'points were'} taken off"
    ]
    if by_rule:
        largest = sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
        named = (f"{rule.replace('_', ' ')} {amount:g}" for rule, amount in largest)
        parts.append(" (" + ", ".join(named) + ")")
    parts.append(".")
    for adjustment in adjustments:
        parts.append(f" {adjustment.reason}")
    return "".join(parts)


def grade(
    key: AnswerKey, response: Response, policy: ScoringPolicy, codebook: CodeBook
) -> Result:
    """Grade a coding answer: every key line ends exact, partial, missing (or
    omitted, when optional); every given line matching none is extra or invalid.

    Given lines are paired with key lines by an optimal assignment that maximises
    the total, so the order of secondary lines never matters; the principal (or
    first-listed) line's place is checked after matching. Every point taken off
    is a deduction on the line it was taken from, and the line points (with the
    result's adjustments) add up to the total.
    """
    checks = {
        section: [_checked(section, line.code) for line in response.section(section)]
        for section in Section
    }
    statuses, key_warnings = _look_up_codes(key, checks, codebook)
    costs = policy.table(key.setting, key.weights)

    def grader(section: Section) -> _SectionGrader:
        return _SectionGrader(
            section,
            key,
            response.section(section),
            checks[section],
            statuses,
            policy,
            costs,
        )

    def describe(code: str) -> str:
        status = statuses.get((CodeSystem.ICD10CM, code))
        return status.description if status else ""

    diagnoses = grader(Section.DIAGNOSES).grade(
        lambda line, given, code: compare_diagnosis(line, given, code, costs, describe),
        _same_code,
    )
    procedures = grader(Section.PROCEDURES).grade(
        lambda line, given, code: compare_procedure(line, code, costs), _same_code
    )
    pointer_context = PointerContext(
        key_diagnoses=tuple(
            display_form(CodeSystem.ICD10CM, line.code) for line in key.diagnoses
        ),
        given_diagnoses=tuple(_display(check) for check in checks[Section.DIAGNOSES]),
        key_index_of_given=diagnoses.key_index_of_given,
        unmatched_key=diagnoses.unmatched_key,
        link_share_cap=_link_share_cap(key, diagnoses, costs, policy),
    )
    diagnosis_codes = [check.code for check in checks[Section.DIAGNOSES]]
    mue_of = {
        code: status.mue
        for (system, code), status in statuses.items()
        if system in (CodeSystem.CPT, CodeSystem.HCPCS)
    }

    def same_service(line: GivenLine, check: FormatCheck) -> Hashable:
        pointed = frozenset(diagnosis_codes[pointer - 1] for pointer in line.pointers)
        return (check.code, frozenset(line.modifiers), line.units, pointed)

    service_lines = grader(Section.SERVICE_LINES).grade(
        partial(
            compare_service_line,
            costs=costs,
            context=pointer_context,
            mue=lambda code: mue_of.get(code, 0),
        ),
        same_service,
    )
    outcomes = {
        Section.DIAGNOSES: diagnoses,
        Section.PROCEDURES: procedures,
        Section.SERVICE_LINES: service_lines,
    }
    lines = explain_lines(
        key,
        response,
        tuple(line for outcome in outcomes.values() for line in outcome.lines),
        checks,
        statuses,
    )
    counts = StatusCounts(**Counter(line.status.value for line in lines))
    points, max_points, adjustments = _total(lines, counts, policy)
    metrics = {
        METRIC_NAMES[section]: outcome.metrics
        for section, outcome in outcomes.items()
        if key.section(section) or response.section(section)
    }
    metrics[OVERALL] = sum(metrics.values(), CodeMetrics(0, 0, 0))
    return Result(
        policy=policy.name,
        points=round(points, 4),
        max_points=max_points,
        percentage=round(100 * points / max_points, 2) if max_points else 0.0,
        lines=lines,
        counts=counts,
        metrics=metrics,
        key_warnings=key_warnings,
        adjustments=adjustments,
        summary=_summary(lines, round(points, 4), max_points, adjustments),
    )

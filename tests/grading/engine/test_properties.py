"""Properties every grading must have, checked on generated keys and responses."""

import math
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from codeformats import compact
from grading.engine import (
    EXAM,
    PRACTICE,
    STRICT,
    AnswerKey,
    GivenLine,
    Response,
    Section,
    Setting,
    parse_key,
    response_from_key,
)
from grading.engine.compare import candidate_bucket

from .helpers import (
    CPT_CODES,
    DATE_OF_SERVICE,
    DIAGNOSIS_CODES,
    HCPCS_CODES,
    PROCEDURE_CODES,
    grade_with,
)

SERVICE_CODES = CPT_CODES + HCPCS_CODES
MODIFIERS = ["25", "59", "RT", "LT", "XS"]
INVALID_CODES = ["E11.6", "E11.99", "not a code", "0DTJ4ZO", "9921"]
POOLS = {
    Section.DIAGNOSES: DIAGNOSIS_CODES,
    Section.PROCEDURES: PROCEDURE_CODES,
    Section.SERVICE_LINES: SERVICE_CODES,
}
POLICIES_UNDER_TEST = st.sampled_from([PRACTICE, EXAM])
ALL_POLICIES = st.sampled_from([PRACTICE, EXAM, STRICT])
PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def key_lines(draw, pool, max_lines, can_be_optional_from):
    """Lines with unique main codes; left-over codes become alternatives."""
    codes = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8, unique=True))
    line_count = draw(st.integers(1, min(max_lines, len(codes))))
    lines = [{"code": code, "alternatives": []} for code in codes[:line_count]]
    for code in codes[line_count:]:
        lines[draw(st.integers(0, line_count - 1))]["alternatives"].append(code)
    for index, line in enumerate(lines[can_be_optional_from:], can_be_optional_from):
        line["optional"] = draw(st.booleans()) and index > 0
    return lines


@st.composite
def answer_keys(draw):
    setting = draw(st.sampled_from(list(Setting)))
    diagnoses = draw(key_lines(DIAGNOSIS_CODES, 6, 1))
    procedures = draw(st.one_of(st.just([]), key_lines(PROCEDURE_CODES, 3, 1)))
    service_lines = draw(st.one_of(st.just([]), key_lines(SERVICE_CODES, 4, 0)))
    for line in service_lines:
        line["modifiers"] = draw(
            st.lists(st.sampled_from(MODIFIERS), max_size=2, unique=True)
        )
        line["units"] = draw(st.integers(1, 3))
        line["pointers"] = draw(
            st.lists(st.integers(1, len(diagnoses)), max_size=3, unique=True)
        )
    return parse_key(
        {
            "setting": setting.value,
            "date_of_service": DATE_OF_SERVICE,
            "diagnoses": diagnoses,
            "procedures": procedures,
            "service_lines": service_lines,
        }
    )


def _given_codes(draw, key, section):
    """Mostly the key's own codes and their near neighbours, some invalid."""
    key_codes = [code for line in key.section(section) for code in line.codes]
    choices = st.one_of(
        st.sampled_from(key_codes) if key_codes else st.nothing(),
        st.sampled_from(POOLS[section]),
        st.sampled_from(INVALID_CODES),
    )
    return draw(st.lists(choices, max_size=7))


@st.composite
def responses(draw, key):
    diagnoses = tuple(
        GivenLine(code) for code in _given_codes(draw, key, Section.DIAGNOSES)
    )
    procedures = tuple(
        GivenLine(code) for code in _given_codes(draw, key, Section.PROCEDURES)
    )
    service_lines = tuple(
        GivenLine(
            code,
            tuple(draw(st.lists(st.sampled_from(MODIFIERS), max_size=2, unique=True))),
            draw(st.integers(1, 3)),
            tuple(
                draw(st.lists(st.integers(1, len(diagnoses)), max_size=3, unique=True))
                if diagnoses
                else ()
            ),
        )
        for code in _given_codes(draw, key, Section.SERVICE_LINES)
    )
    return Response(diagnoses, procedures, service_lines)


@st.composite
def cases(draw):
    key = draw(answer_keys())
    return key, draw(responses(key))


def _reorder(response: Response, diagnosis_order, procedure_order, service_order):
    """The same response with lines moved; pointers follow their diagnoses."""
    new_position = {old: new for new, old in enumerate(diagnosis_order)}
    return Response(
        diagnoses=tuple(response.diagnoses[index] for index in diagnosis_order),
        procedures=tuple(response.procedures[index] for index in procedure_order),
        service_lines=tuple(
            replace(
                response.service_lines[index],
                pointers=tuple(
                    new_position[pointer - 1] + 1
                    for pointer in response.service_lines[index].pointers
                ),
            )
            for index in service_order
        ),
    )


def _secondary_shuffle(draw, count):
    """An order keeping the first line first."""
    return [0, *draw(st.permutations(range(1, count)))] if count else []


@PROPERTY_SETTINGS
@given(cases(), POLICIES_UNDER_TEST)
def test_score_stays_between_zero_and_max(case, policy):
    key, response = case
    result = grade_with(key, response, policy)
    assert 0 <= result.points <= result.max_points
    assert 0 <= result.percentage <= 100


@PROPERTY_SETTINGS
@given(cases(), POLICIES_UNDER_TEST, st.data())
def test_order_of_secondary_lines_never_changes_the_score(case, policy, data):
    key, response = case
    reordered = _reorder(
        response,
        _secondary_shuffle(data.draw, len(response.diagnoses)),
        _secondary_shuffle(data.draw, len(response.procedures)),
        data.draw(st.permutations(range(len(response.service_lines)))),
    )
    before = grade_with(key, response, policy)
    after = grade_with(key, reordered, policy)
    assert math.isclose(before.points, after.points, abs_tol=1e-9)
    assert before.counts.extra + before.counts.invalid == (
        after.counts.extra + after.counts.invalid
    )


@PROPERTY_SETTINGS
@given(answer_keys(), POLICIES_UNDER_TEST)
def test_key_graded_against_itself_scores_100(key, policy):
    result = grade_with(key, response_from_key(key), policy)
    assert result.percentage == 100
    assert result.metrics["overall"].f1 == 1.0


def _unrelated_line(draw, key: AnswerKey, section: Section, response: Response):
    buckets = {
        candidate_bucket(section, code)
        for line in key.section(section)
        for code in line.codes
    }
    unrelated = [
        code
        for code in POOLS[section]
        if candidate_bucket(section, compact(code)) not in buckets
    ]
    given_lines = response.section(section)
    return draw(
        st.one_of(
            st.sampled_from([GivenLine(code) for code in unrelated])
            if unrelated
            else st.nothing(),
            st.sampled_from([GivenLine(code) for code in INVALID_CODES]),
            st.sampled_from(given_lines) if given_lines else st.nothing(),
        )
    )


@PROPERTY_SETTINGS
@given(cases(), POLICIES_UNDER_TEST, st.data())
def test_adding_a_line_that_fits_nothing_never_raises_the_score(case, policy, data):
    key, response = case
    section = data.draw(st.sampled_from(list(Section)))
    extra = _unrelated_line(data.draw, key, section, response)
    lines = list(response.section(section))
    # A repeat goes after the line it repeats: listed before it, it would move
    # that code into first place, which is then where the learner put it.
    earliest = next(
        (index + 1 for index, line in enumerate(lines) if line.code == extra.code), 0
    )
    position = data.draw(st.integers(earliest, len(lines)))
    lines.insert(position, extra)
    longer = replace(response, **{section.value: tuple(lines)})
    if section is Section.DIAGNOSES:
        shifted = [
            index if index < position else index + 1 for index in range(len(lines) - 1)
        ]
        longer = replace(
            longer,
            service_lines=tuple(
                replace(line, pointers=tuple(shifted[p - 1] + 1 for p in line.pointers))
                for line in response.service_lines
            ),
        )
    before = grade_with(key, response, policy)
    after = grade_with(key, longer, policy)
    assert after.points <= before.points + 1e-9


@PROPERTY_SETTINGS
@given(cases(), POLICIES_UNDER_TEST, st.data())
def test_listing_an_alternative_scores_like_the_main_code(case, policy, data):
    key, response = case
    choices = [
        (section, index)
        for section in Section
        for index, line in enumerate(key.section(section))
        if line.alternatives
    ]
    assume(choices)
    section, index = data.draw(st.sampled_from(choices))
    line = key.section(section)[index]
    alternative = data.draw(st.sampled_from(line.alternatives))
    listed = _key_lines_then_random_ones(key, response, section, line.codes)

    def with_code(code):
        lines = list(listed.section(section))
        lines[index] = replace(lines[index], code=code)
        return replace(listed, **{section.value: tuple(lines)})

    main = grade_with(key, with_code(line.code), policy)
    alternate = grade_with(key, with_code(alternative), policy)
    assert math.isclose(main.points, alternate.points, abs_tol=1e-9)
    assert main.counts == alternate.counts


def _key_lines_then_random_ones(key, response, section, left_out_codes):
    """The key's own lines followed by a random response's lines, leaving out any
    random line of `section` holding one of `left_out_codes`."""

    def kept(in_section, given):
        return in_section is not section or compact(given.code) not in left_out_codes

    from_key = response_from_key(key)
    kept_diagnoses = [
        index
        for index, given in enumerate(response.diagnoses)
        if kept(Section.DIAGNOSES, given)
    ]
    new_pointer = {
        old + 1: len(from_key.diagnoses) + new + 1
        for new, old in enumerate(kept_diagnoses)
    }
    random_service_lines = tuple(
        replace(
            given,
            pointers=tuple(
                new_pointer[pointer]
                for pointer in given.pointers
                if pointer in new_pointer
            ),
        )
        for given in response.service_lines
        if kept(Section.SERVICE_LINES, given)
    )
    return Response(
        diagnoses=from_key.diagnoses
        + tuple(response.diagnoses[index] for index in kept_diagnoses),
        procedures=from_key.procedures
        + tuple(
            given for given in response.procedures if kept(Section.PROCEDURES, given)
        ),
        service_lines=from_key.service_lines + random_service_lines,
    )


@PROPERTY_SETTINGS
@given(cases(), ALL_POLICIES)
def test_line_points_and_adjustments_sum_to_the_total(case, policy):
    key, response = case
    result = grade_with(key, response, policy)
    for line in result.lines:
        taken = sum(deduction.points for deduction in line.deductions)
        assert math.isclose(line.points, line.max_points - taken, abs_tol=1e-6)
    adjusted = sum(item.points for item in result.adjustments)
    total = sum(line.points for line in result.lines) - adjusted
    assert math.isclose(total, result.points, abs_tol=1e-6)
    assert all(
        line.points < 0
        for line in result.lines
        if line.status.value in ("extra", "invalid") and line.deductions
    )


def _related_codes(key: AnswerKey, section: Section, key_index: int) -> list[str]:
    """Pool codes in the key line's bucket: near misses or the code itself."""
    buckets = {
        candidate_bucket(section, code)
        for code in key.section(section)[key_index].codes
    }
    return [
        code
        for code in POOLS[section]
        if candidate_bucket(section, compact(code)) in buckets
    ]


def _without_bucket(response: Response, section: Section, buckets) -> Response:
    """The response without its lines of `section` in `buckets`; pointers to
    removed diagnoses are dropped, the rest follow their diagnoses."""
    kept = [
        index
        for index, line in enumerate(response.section(section))
        if candidate_bucket(section, compact(line.code)) not in buckets
    ]
    trimmed = replace(
        response,
        **{section.value: tuple(response.section(section)[i] for i in kept)},
    )
    if section is not Section.DIAGNOSES:
        return trimmed
    new_place = {old + 1: new + 1 for new, old in enumerate(kept)}
    return replace(
        trimmed,
        service_lines=tuple(
            replace(
                line,
                pointers=tuple(new_place[p] for p in line.pointers if p in new_place),
            )
            for line in response.service_lines
        ),
    )


@PROPERTY_SETTINGS
@given(cases(), ALL_POLICIES, st.data())
def test_an_attempted_line_never_scores_below_leaving_it_out(case, policy, data):
    key, response = case
    section = data.draw(
        st.sampled_from([section for section in Section if key.section(section)])
    )
    key_index = data.draw(st.integers(0, len(key.section(section)) - 1))
    related = _related_codes(key, section, key_index)
    assume(related)
    buckets = {
        candidate_bucket(section, code)
        for code in key.section(section)[key_index].codes
    }
    left_out = _without_bucket(response, section, buckets)
    if section is Section.DIAGNOSES:
        # Linking a diagnosis is its own skill, charged on the service line: here
        # only the diagnosis itself is attempted or left out.
        left_out = replace(
            left_out,
            service_lines=tuple(
                replace(line, pointers=()) for line in left_out.service_lines
            ),
        )
    attempt = data.draw(st.sampled_from(related))
    given = GivenLine(attempt)
    if section is Section.SERVICE_LINES:
        line = key.service_lines[key_index]
        given = GivenLine(
            attempt,
            tuple(
                data.draw(st.lists(st.sampled_from(MODIFIERS), max_size=2, unique=True))
            ),
            data.draw(st.integers(1, 30)),
            line.pointers
            if len(left_out.diagnoses) >= max(line.pointers, default=0)
            else (),
        )
    lines = left_out.section(section)
    attempted = replace(left_out, **{section.value: (*lines, given)})
    without = grade_with(key, left_out, policy)
    with_it = grade_with(key, attempted, policy)
    assert with_it.points >= without.points - 1e-9


def _fixes(key: AnswerKey, response: Response, result) -> list[Response]:
    """Responses with one difference of one matched line fixed."""
    fixed = []
    for line in result.lines:
        if line.status.value != "partial" or line.given_index is None:
            continue
        section = line.section
        key_line = key.section(section)[line.expected_index]
        given = response.section(section)[line.given_index]
        variants = [replace(given, code=key_line.code)]
        if section is Section.SERVICE_LINES:
            variants += [
                replace(given, modifiers=key_line.modifiers),
                replace(given, units=key_line.units),
            ]
        others = {
            compact(other.code)
            for index, other in enumerate(response.section(section))
            if index != line.given_index
        }
        for variant in variants:
            # A fix that repeats another listed code is a second line, not a fix.
            if variant == given or compact(variant.code) in others:
                continue
            lines = list(response.section(section))
            lines[line.given_index] = variant
            fixed.append(replace(response, **{section.value: tuple(lines)}))
    return fixed


@PROPERTY_SETTINGS
@given(cases(), ALL_POLICIES, st.data())
def test_fixing_any_one_difference_never_lowers_the_score(case, policy, data):
    key, response = case
    before = grade_with(key, response, policy)
    fixes = _fixes(key, response, before)
    assume(fixes)
    after = grade_with(key, data.draw(st.sampled_from(fixes)), policy)
    assert after.points >= before.points - 1e-9

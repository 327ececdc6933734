"""Keys and responses that break the schema, each with the field and message the
CLI and the API must name. Built from the documented outpatient example."""

import copy

from grading.engine.schema import (
    MUST_BE_STRING,
    OUT_OF_RANGE,
    POINTER_PAST_END,
    TOO_MANY_DIAGNOSES,
    TOO_MANY_ITEMS,
    UNKNOWN_FIELD,
)
from tests.grading.conftest import document


def _diagnoses(count: int) -> list[dict]:
    return [{"code": f"E11.{index}"} for index in range(count)]


def _key(change) -> dict:
    key = copy.deepcopy(document("outpatient-key"))
    change(key)
    return key


def _response(change) -> dict:
    response = copy.deepcopy(document("outpatient-response"))
    change(response)
    return response


def _inpatient_key_with_26_diagnoses(key):
    key["setting"] = "inpatient"
    key["diagnoses"] = [
        {"code": f"{letter}{number:02d}.9"} for letter in "AB" for number in range(13)
    ]
    key["service_lines"] = []


def _professional_key(key):
    key["setting"] = "professional"


# (case id, key, response, field, message)
CASES = [
    (
        "unknown section in the key",
        _key(lambda k: k.update(labs=[])),
        document("outpatient-response"),
        "key.labs",
        UNKNOWN_FIELD,
    ),
    (
        "unknown section in the response",
        document("outpatient-key"),
        _response(lambda r: r.update(labs=[])),
        "response.labs",
        UNKNOWN_FIELD,
    ),
    (
        "pointer to a diagnosis that is not there",
        document("outpatient-key"),
        _response(lambda r: r["service_lines"][0].update(pointers=[3])),
        "response.service_lines[0].pointers[0]",
        POINTER_PAST_END.format(pointer=3, count=2),
    ),
    (
        "more than 4 modifiers",
        _key(
            lambda k: k["service_lines"][0].update(
                modifiers=["25", "59", "RT", "LT", "XS"]
            )
        ),
        document("outpatient-response"),
        "key.service_lines[0].modifiers",
        TOO_MANY_ITEMS.format(limit=4, noun="modifiers"),
    ),
    (
        "more than 4 pointers",
        document("outpatient-key"),
        _response(
            lambda r: (
                r.update(diagnoses=_diagnoses(5))
                or r["service_lines"][0].update(pointers=[1, 2, 3, 4, 5])
            )
        ),
        "response.service_lines[0].pointers",
        TOO_MANY_ITEMS.format(limit=4, noun="pointers"),
    ),
    (
        "zero units",
        document("outpatient-key"),
        _response(lambda r: r["service_lines"][2].update(units=0)),
        "response.service_lines[2].units",
        OUT_OF_RANGE.format(low=1, high=9999),
    ),
    (
        "negative units",
        _key(lambda k: k["service_lines"][2].update(units=-4)),
        document("outpatient-response"),
        "key.service_lines[2].units",
        OUT_OF_RANGE.format(low=1, high=9999),
    ),
    (
        "13 diagnoses on a professional claim",
        _key(_professional_key),
        _response(lambda r: r.update(diagnoses=_diagnoses(13))),
        "response.diagnoses",
        TOO_MANY_DIAGNOSES.format(limit=12, setting="professional"),
    ),
    (
        "26 diagnoses on an inpatient claim",
        _key(_inpatient_key_with_26_diagnoses),
        {"diagnoses": []},
        "key.diagnoses",
        TOO_MANY_DIAGNOSES.format(limit=25, setting="inpatient"),
    ),
    (
        "pointer beyond the 12th diagnosis",
        document("outpatient-key"),
        _response(
            lambda r: (
                r.update(diagnoses=_diagnoses(12))
                or r["service_lines"][0].update(pointers=[13])
            )
        ),
        "response.service_lines[0].pointers[0]",
        OUT_OF_RANGE.format(low=1, high=12),
    ),
    (
        "a code that is not a string",
        document("outpatient-key"),
        _response(lambda r: r["diagnoses"][0].update(code=1711)),
        "response.diagnoses[0].code",
        MUST_BE_STRING,
    ),
]

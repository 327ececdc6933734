"""The claim scrubber: the edits a clearinghouse runs before a claim goes out.

`scrub` reads a `Claim` as the learner typed it and returns every edit that
fires, each with its category, the box it concerns (a field path into the
claim), a message in plain words and the rule it comes from. `EDITS` is the
catalogue of every edit the scrubber can raise, in the order it reports them.

"reject" edits stop the claim at the clearinghouse or make the payer deny it
automatically; "warning" edits need a person's judgement (a documented
exception may apply). Whether the service date lies after submission is the
payer's question (timely filing), not the scrubber's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from billing.engine.claim import (
    POINTER_LETTERS,
    Claim,
    ClaimForm,
    Frequency,
    Institutional,
    ServiceLine,
    age_on,
    parse_date,
    parse_money,
    parse_units,
)
from billing.engine.npi import npi_is_valid
from billing.engine.reference import CodeEdit, Payer, Reference
from codeformats import CodeSystem, check_format, compact, procedure_system


class Severity(StrEnum):
    REJECT = "reject"
    WARNING = "warning"


class Category(StrEnum):
    REQUIRED = "Required field"
    FORMAT = "Invalid format"
    DEMOGRAPHICS = "Patient demographics"
    CODE_VALIDITY = "Code validity"
    DIAGNOSIS_CODING = "Diagnosis coding"
    NCCI = "NCCI"
    MEDICAL_NECESSITY = "Medical necessity"
    AUTHORIZATION = "Authorization"
    PAYER = "Payer"
    RESUBMISSION = "Resubmission"


@dataclass(frozen=True)
class EditRule:
    """One edit the scrubber can raise, and the published rule behind it."""

    edit_id: str
    category: Category
    title: str
    source: str
    severity: Severity = Severity.REJECT


@dataclass(frozen=True)
class ScrubEdit:
    """One edit that fired on one box of one claim."""

    edit_id: str
    category: str
    field: str
    message: str
    source: str
    severity: str


CH26 = "Medicare Claims Processing Manual ch. 26"
CH25 = "Medicare Claims Processing Manual ch. 25 §75"
NCCI_MANUAL = "NCCI Policy Manual for Medicare Services ch. I"

_RULES = (
    # Required fields: the CMS-1500 items (ch. 26 §10.2 items 1-13, §10.3 items
    # 14-33) and UB-04 form locators (ch. 25) a payer cannot process without,
    # with the 837P/837I element the clearinghouse sends them in.
    EditRule(
        "missing-patient-name",
        Category.REQUIRED,
        "Patient's name missing",
        f"CMS-1500 item 2 ({CH26} §10.2); UB-04 FL 8 ({CH25}); "
        "837P/837I loop 2010BA or 2010CA NM1",
    ),
    EditRule(
        "missing-patient-birth-date",
        Category.REQUIRED,
        "Patient's birth date missing",
        f"CMS-1500 item 3 ({CH26} §10.2); UB-04 FL 10 ({CH25}); "
        "837P/837I loop 2010BA or 2010CA DMG02",
    ),
    EditRule(
        "missing-patient-sex",
        Category.REQUIRED,
        "Patient's sex missing",
        f"CMS-1500 item 3 ({CH26} §10.2); UB-04 FL 11 ({CH25}); "
        "837P/837I loop 2010BA or 2010CA DMG03",
    ),
    EditRule(
        "missing-insured-id",
        Category.REQUIRED,
        "Insured's ID number missing",
        f"CMS-1500 item 1a ({CH26} §10.2); UB-04 FL 60 ({CH25}); "
        "837P/837I loop 2010BA NM109",
    ),
    EditRule(
        "missing-account-number",
        Category.REQUIRED,
        "Patient's account number missing",
        f"CMS-1500 item 26 ({CH26} §10.3); UB-04 FL 3a ({CH25}); 837P/837I loop "
        "2300 CLM01 (the number the payer's 835 returns in CLP01)",
    ),
    EditRule(
        "missing-payer",
        Category.REQUIRED,
        "Payer missing",
        f"CMS-1500 payer block and item 11c ({CH26} §10.2); UB-04 FL 50 ({CH25}); "
        "837P/837I loop 2010BB NM1 (payer name and ID)",
    ),
    EditRule(
        "missing-billing-npi",
        Category.REQUIRED,
        "Billing provider's NPI missing",
        f"CMS-1500 item 33a ({CH26} §10.3); UB-04 FL 56 ({CH25}); "
        "837P/837I loop 2010AA NM109; 45 CFR 162.410 (covered providers use their NPI)",
    ),
    EditRule(
        "missing-billing-tax-id",
        Category.REQUIRED,
        "Billing provider's tax ID missing",
        f"CMS-1500 item 25 ({CH26} §10.3); UB-04 FL 5 ({CH25}); "
        "837P/837I loop 2010AA REF*EI",
    ),
    EditRule(
        "missing-billing-address",
        Category.REQUIRED,
        "Billing provider's address incomplete",
        f"CMS-1500 item 33 ({CH26} §10.3); UB-04 FL 1 ({CH25}); "
        "837P/837I loop 2010AA N3/N4",
    ),
    EditRule(
        "missing-diagnosis",
        Category.REQUIRED,
        "No diagnosis in box 21",
        f"CMS-1500 item 21 ({CH26} §10.3); 837P loop 2300 HI (ABK principal)",
    ),
    EditRule(
        "missing-service-line",
        Category.REQUIRED,
        "No service line",
        f"CMS-1500 item 24 ({CH26} §10.3); UB-04 FL 42-47 ({CH25}); "
        "837P/837I loop 2400 (at least one)",
    ),
    EditRule(
        "missing-service-date",
        Category.REQUIRED,
        "Line's date of service missing",
        f"CMS-1500 item 24A ({CH26} §10.3); UB-04 FL 45 on outpatient claims "
        f"({CH25}); 837P/837I loop 2400 DTP*472",
    ),
    EditRule(
        "missing-place-of-service",
        Category.REQUIRED,
        "Line's place of service missing",
        f"CMS-1500 item 24B ({CH26} §10.3, codes in §10.5); "
        "837P loop 2300 CLM05-1 and 2400 SV105",
    ),
    EditRule(
        "missing-procedure-code",
        Category.REQUIRED,
        "Line's CPT/HCPCS code missing",
        f"CMS-1500 item 24D ({CH26} §10.3); UB-04 FL 44 on outpatient claims "
        f"({CH25}); 837P loop 2400 SV101-2, 837I SV202-2",
    ),
    EditRule(
        "missing-charge",
        Category.REQUIRED,
        "Line's charge missing",
        f"CMS-1500 item 24F ({CH26} §10.3); UB-04 FL 47 ({CH25}); "
        "837P loop 2400 SV102, 837I SV203",
    ),
    EditRule(
        "missing-units",
        Category.REQUIRED,
        "Line's units missing",
        f"CMS-1500 item 24G ({CH26} §10.3); UB-04 FL 46 ({CH25}); "
        "837P loop 2400 SV104, 837I SV205",
    ),
    EditRule(
        "missing-pointer",
        Category.REQUIRED,
        "Line's diagnosis pointer missing",
        f"CMS-1500 item 24E ({CH26} §10.3); 837P loop 2400 SV107",
    ),
    EditRule(
        "missing-revenue-code",
        Category.REQUIRED,
        "Line's revenue code missing",
        f"UB-04 FL 42 ({CH25}); 837I loop 2400 SV201",
    ),
    EditRule(
        "missing-type-of-bill",
        Category.REQUIRED,
        "Type of bill missing",
        f"UB-04 FL 4 ({CH25}); 837I loop 2300 CLM05-1 and CLM05-3",
    ),
    EditRule(
        "missing-statement-dates",
        Category.REQUIRED,
        "Statement covers period missing",
        f"UB-04 FL 6 ({CH25}); 837I loop 2300 DTP*434",
    ),
    EditRule(
        "missing-admission-date",
        Category.REQUIRED,
        "Admission date missing on an inpatient claim",
        f"UB-04 FL 12 ({CH25}); 837I loop 2300 DTP*435",
    ),
    EditRule(
        "missing-admission-type",
        Category.REQUIRED,
        "Admission type missing on an inpatient claim",
        f"UB-04 FL 14 ({CH25}); 837I loop 2300 CL1-01",
    ),
    EditRule(
        "missing-admission-source",
        Category.REQUIRED,
        "Admission source missing on an inpatient claim",
        f"UB-04 FL 15 ({CH25}); 837I loop 2300 CL1-02",
    ),
    EditRule(
        "missing-discharge-status",
        Category.REQUIRED,
        "Patient discharge status missing",
        f"UB-04 FL 17 ({CH25}); 837I loop 2300 CL1-03",
    ),
    EditRule(
        "missing-principal-diagnosis",
        Category.REQUIRED,
        "Principal diagnosis missing",
        f"UB-04 FL 67 ({CH25}); 837I loop 2300 HI*ABK",
    ),
    EditRule(
        "missing-poa",
        Category.REQUIRED,
        "Present-on-admission indicator missing on an inpatient diagnosis",
        f"UB-04 FL 67 POA indicator ({CH25}); 837I loop 2300 HI (POA in the 9th "
        "component); ICD-10-CM Official Guidelines Appendix I (codes exempt from "
        "POA reporting are left blank)",
        Severity.WARNING,
    ),
    # Formats: what each box must look like in the 837 (X12 5010 data element
    # formats) and on the paper form.
    EditRule(
        "invalid-date",
        Category.FORMAT,
        "Date not a calendar date",
        "837P/837I TR3: dates are CCYYMMDD (DTP, DMG02); CMS-1500 dates are "
        f"MM DD YY or MM DD CCYY ({CH26} §10.2)",
    ),
    EditRule(
        "invalid-charge",
        Category.FORMAT,
        "Charge not an amount",
        f"CMS-1500 item 24F ({CH26} §10.3); 837P SV102 / 837I SV203 monetary amount",
    ),
    EditRule(
        "invalid-units",
        Category.FORMAT,
        "Units not a whole number of at least 1",
        f"CMS-1500 item 24G ({CH26} §10.3); 837P SV104 / 837I SV205",
    ),
    EditRule(
        "invalid-place-of-service",
        Category.FORMAT,
        "Place of service not a 2-digit code",
        f"CMS-1500 item 24B ({CH26} §10.3); CMS Place of Service code set "
        f"({CH26} §10.5)",
    ),
    EditRule(
        "invalid-modifier",
        Category.FORMAT,
        "Modifier not 2 letters or digits",
        f"CMS-1500 item 24D ({CH26} §10.3); 837P SV101-3 to SV101-6 (2 characters)",
    ),
    EditRule(
        "invalid-npi",
        Category.FORMAT,
        "NPI fails the check digit",
        "45 CFR 162.406 (NPI: 10 digits, the last a Luhn check digit over 80840 "
        "and the first 9)",
    ),
    EditRule(
        "invalid-tax-id",
        Category.FORMAT,
        "Tax ID not 9 digits",
        f"CMS-1500 item 25 ({CH26} §10.3); 837P loop 2010AA REF02 (EIN, 9 digits)",
    ),
    EditRule(
        "invalid-type-of-bill",
        Category.FORMAT,
        "Type of bill not 3 digits",
        f"UB-04 FL 4 ({CH25}: facility type, bill classification, frequency)",
    ),
    EditRule(
        "invalid-poa-indicator",
        Category.FORMAT,
        "POA indicator not Y, N, U or W",
        "ICD-10-CM Official Guidelines Appendix I (POA reporting options); "
        "837I loop 2300 HI POA component",
    ),
    # Patient demographics.
    EditRule(
        "invalid-patient-sex",
        Category.DEMOGRAPHICS,
        "Patient's sex not F, M or U",
        f"CMS-1500 item 3 ({CH26} §10.2); 837P/837I DMG03 (F, M, U)",
    ),
    EditRule(
        "birth-after-service",
        Category.DEMOGRAPHICS,
        "Date of service before the patient's birth",
        f"CMS-1500 items 3 and 24A ({CH26} §10.2-10.3)",
    ),
    EditRule(
        "sex-conflict",
        Category.DEMOGRAPHICS,
        "Code conflicts with the patient's sex",
        "CMS Medicare Code Editor and Integrated OCE sex conflict edits; "
        "CoderAcademy's rules in codesets/data/sex_age_rules.csv",
    ),
    EditRule(
        "age-conflict",
        Category.DEMOGRAPHICS,
        "Code conflicts with the patient's age",
        "CMS Medicare Code Editor and Integrated OCE age conflict edits; "
        "CoderAcademy's rules in codesets/data/sex_age_rules.csv",
    ),
    # Code validity on the date of service.
    EditRule(
        "invalid-diagnosis-code",
        Category.CODE_VALIDITY,
        "Diagnosis code not valid on the date of service",
        "45 CFR 162.1002 and 162.1000 (HIPAA code sets, the version valid when the "
        "service is furnished; inpatient claims by discharge date); ICD-10-CM "
        "Official Guidelines I.B.2 (code to the highest number of characters)",
    ),
    EditRule(
        "invalid-procedure-code",
        Category.CODE_VALIDITY,
        "CPT/HCPCS code not valid on the date of service",
        "45 CFR 162.1002 (HIPAA code sets: CPT and HCPCS Level II valid on the "
        "date of service); CMS quarterly HCPCS update",
    ),
    EditRule(
        "invalid-pcs-code",
        Category.CODE_VALIDITY,
        "ICD-10-PCS code not valid on the discharge date",
        "45 CFR 162.1002 (ICD-10-PCS for inpatient hospital procedures); UB-04 "
        f"FL 74 ({CH25}); 837I loop 2300 HI*BBR/BBQ",
    ),
    # Diagnosis coding.
    EditRule(
        "pointer-without-diagnosis",
        Category.DIAGNOSIS_CODING,
        "Diagnosis pointer names no diagnosis",
        f"CMS-1500 item 24E points to letters A-L of item 21 ({CH26} §10.3); "
        "837P SV107 points to a 2300 HI position",
    ),
    EditRule(
        "excludes1-pair",
        Category.DIAGNOSIS_CODING,
        "Two diagnoses an Excludes1 note keeps apart",
        "ICD-10-CM Official Guidelines I.A.12.a (Excludes1: never coded together, "
        "except when the two conditions are unrelated)",
        Severity.WARNING,
    ),
    # NCCI.
    EditRule(
        "ncci-ptp",
        Category.NCCI,
        "NCCI procedure-to-procedure pair",
        f"{NCCI_MANUAL} (PTP edits, modifier indicators 0 and 1, NCCI-associated "
        "modifiers); CMS NCCI PTP edit tables",
    ),
    EditRule(
        "ncci-mue",
        Category.NCCI,
        "Units above the medically unlikely edit",
        f"{NCCI_MANUAL} (medically unlikely edits); CMS NCCI MUE tables "
        "(adjudication indicator 1 per line, 2 and 3 per day)",
    ),
    EditRule(
        "addon-without-primary",
        Category.NCCI,
        "Add-on code without its primary procedure",
        "CPT add-on code designation (reported only with its primary, same "
        f"practitioner, same day); {NCCI_MANUAL} (add-on codes); CMS NCCI add-on "
        "code edit tables",
    ),
    # The payer's own rules.
    EditRule(
        "unknown-payer",
        Category.PAYER,
        "Payer not on the clearinghouse's payer list",
        "837P/837I loop 2010BB NM109 (payer identifier the receiver routes by)",
    ),
    EditRule(
        "medical-necessity",
        Category.MEDICAL_NECESSITY,
        "No pointed diagnosis covered by the payer's coverage policy",
        "Social Security Act §1862(a)(1)(A) (reasonable and necessary); the payer's "
        "published coverage policy (LCD-like list); denied with CARC 50",
    ),
    EditRule(
        "missing-prior-authorization",
        Category.AUTHORIZATION,
        "Prior authorization number missing",
        f"CMS-1500 item 23 ({CH26} §10.3); UB-04 FL 63 ({CH25}); 837P/837I loop "
        "2300 REF*G1; the payer's prior authorization list; denied with CARC 197",
    ),
    EditRule(
        "missing-original-reference",
        Category.RESUBMISSION,
        "Replacement or void without the original claim number",
        f"CMS-1500 item 22 ({CH26} §10.3); UB-04 FL 4 frequency and FL 64 "
        f"({CH25}); 837P/837I loop 2300 CLM05-3 with REF*F8",
    ),
)
EDITS: dict[str, EditRule] = {rule.edit_id: rule for rule in _RULES}
_ORDER = {edit_id: index for index, edit_id in enumerate(EDITS)}

MISSING_FIELD = "{box} is empty: the claim needs {what}."
MISSING_LINE_FIELD = "{box} on line {line} is empty: every service line needs {what}."
MISSING_POA = (
    "{box}: {code} has no present-on-admission indicator. Enter Y, N, U or W, "
    "unless the code is on the POA-exempt list (then leave it blank)."
)
INVALID_DATE = "{box}: {value!r} is not a date. Enter it as YYYY-MM-DD."
INVALID_CHARGE = "{box} on line {line}: {value!r} is not a dollar amount."
INVALID_UNITS = "{box} on line {line}: {value!r} is not a whole number of units."
INVALID_PLACE_OF_SERVICE = (
    "{box} on line {line}: {value!r} is not a place of service code, which is "
    "always 2 digits (11 office, 21 inpatient hospital, 23 emergency department)."
)
INVALID_MODIFIER = (
    "{box} on line {line}: modifier {value!r} is not 2 letters or digits "
    "(e.g. 25, 59, LT)."
)
INVALID_NPI = (
    "{box}: {value!r} is not a valid NPI. An NPI is 10 digits and its last digit "
    "must match the check digit; look for a mistyped or swapped digit."
)
INVALID_TAX_ID = "{box}: {value!r} is not a tax ID, which is 9 digits (12-3456789)."
INVALID_TYPE_OF_BILL = (
    "{box}: {value!r} is not a type of bill, which is 3 digits (with an optional "
    "leading 0), e.g. 111 inpatient or 131 outpatient."
)
INVALID_POA = "{box}: {value!r} is not a POA indicator. Use Y, N, U or W."
INVALID_PATIENT_SEX = "{box}: {value!r} is not a sex code. Use F, M or U."
BIRTH_AFTER_SERVICE = (
    "{box} on line {line}: the date of service {service} is before the patient's "
    "birth date {birth}; one of the two dates is wrong."
)
UNRECOGNISED_PROCEDURE = (
    "{box} on line {line}: {value!r} is neither a CPT code (5 digits, or 4 digits "
    "and F, T or U) nor a HCPCS Level II code (a letter A-V and 4 digits)."
)
INVALID_CODE = "{box}: {detail}"
POINTER_WITHOUT_DIAGNOSIS = (
    "Box 24E on line {line} points to {pointer}, but box 21 has no diagnosis {pointer}."
)
EXCLUDES1_PAIR = (
    "{box}: {detail} Keep both only if the two conditions are unrelated, and say "
    "so in the record."
)
NCCI_EDIT = "{box} on line {line}: {detail}"
DEMOGRAPHIC_EDIT = "{box}: {detail} Check the code and {demographics_box}."
ADDON_WITHOUT_PRIMARY = (
    "{box} on line {line}: {code} is an add-on code, reported only with its "
    "primary procedure on the same day ({primaries}), and no line that day has one."
)
UNKNOWN_PAYER = (
    "{box}: {value!r} is not a payer the clearinghouse can send claims to. Check "
    "the payer ID on the patient's insurance card."
)
NOT_MEDICALLY_NECESSARY = (
    'Line {line} ({code}): {payer}\'s policy {policy_id} "{policy_title}" covers '
    "{code} only for certain diagnoses, and none of {diagnoses} is one of them. "
    "The payer will deny the line as not medically necessary."
)
MISSING_PRIOR_AUTHORIZATION = (
    "Line {line} ({code}): {payer} requires prior authorization for {code}, but "
    "{box} (prior authorization number) is empty."
)
MISSING_ORIGINAL_REFERENCE = (
    "{box}: a {kind} (frequency {frequency}) must give the payer's claim number of "
    "the claim it {verb}, and the original reference number is empty."
)

# The box each part of the claim is on: (CMS-1500, UB-04).
BOXES = {
    "patient_name": ("Box 2", "FL 8"),
    "birth_date": ("Box 3 (birth date)", "FL 10"),
    "sex": ("Box 3 (sex)", "FL 11"),
    "demographics": ("box 3 (sex and birth date)", "FL 10-11 (birth date, sex)"),
    "member_id": ("Box 1a", "FL 60"),
    "payer": ("The payer block at the top of the form", "FL 50"),
    "billing_npi": ("Box 33a", "FL 56"),
    "tax_id": ("Box 25", "FL 5"),
    "billing_address": ("Box 33", "FL 1"),
    "account_number": ("Box 26", "FL 3a"),
    "rendering_npi": ("Box 24J", "FL 76"),
    "diagnoses": ("Box 21", "FL 67"),
    "lines": ("Box 24", "FL 42-47"),
    "service_date": ("Box 24A", "FL 45"),
    "place_of_service": ("Box 24B", "Box 24B"),
    "code": ("Box 24D", "FL 44"),
    "modifiers": ("Box 24D", "FL 44"),
    "pointers": ("Box 24E", "Box 24E"),
    "charge": ("Box 24F", "FL 47"),
    "units": ("Box 24G", "FL 46"),
    "prior_authorization": ("Box 23", "FL 63"),
    "original_reference": ("Box 22", "FL 64"),
}
UB04_BOXES = {
    "type_of_bill": "FL 4",
    "statement_from": "FL 6 (from)",
    "statement_to": "FL 6 (through)",
    "admission_date": "FL 12",
    "admission_type": "FL 14",
    "admission_source": "FL 15",
    "discharge_status": "FL 17",
    "revenue_code": "FL 42",
    "principal_diagnosis": "FL 67",
    "other_diagnoses": "FL 67",
    "procedures": "FL 74",
}

# (edit id, field path, box, what the claim needs): claim-level boxes both forms have.
_CLAIM_REQUIRED = (
    ("missing-patient-name", "patient.last_name", "patient_name", "the patient's "
     "last name"),
    ("missing-patient-name", "patient.first_name", "patient_name", "the patient's "
     "first name"),
    ("missing-patient-birth-date", "patient.birth_date", "birth_date", "the "
     "patient's birth date"),
    ("missing-patient-sex", "patient.sex", "sex", "the patient's sex"),
    ("missing-insured-id", "insurance.member_id", "member_id", "the insured's ID "
     "number from the insurance card"),
    ("missing-account-number", "patient_control_number", "account_number", "the "
     "patient's account number, which the payer's answer quotes back"),
    ("missing-payer", "insurance.payer_id", "payer", "the payer the claim goes to"),
    ("missing-billing-npi", "billing_provider.npi", "billing_npi", "the billing "
     "provider's NPI"),
    ("missing-billing-tax-id", "billing_provider.tax_id", "tax_id", "the billing "
     "provider's federal tax ID"),
    ("missing-billing-address", "billing_provider.address.line1", "billing_address",
     "the billing provider's street address"),
    ("missing-billing-address", "billing_provider.address.city", "billing_address",
     "the billing provider's city"),
    ("missing-billing-address", "billing_provider.address.state", "billing_address",
     "the billing provider's state"),
    ("missing-billing-address", "billing_provider.address.zip", "billing_address",
     "the billing provider's ZIP code"),
)  # fmt: skip
_LINE_REQUIRED_1500 = (
    ("missing-service-date", "service_date", "a date of service"),
    ("missing-place-of-service", "place_of_service", "a place of service code"),
    ("missing-procedure-code", "code", "a CPT or HCPCS code"),
    ("missing-charge", "charge", "a charge"),
    ("missing-units", "units", "a number of units"),
)
_LINE_REQUIRED_UB04 = (
    ("missing-revenue-code", "revenue_code", "a revenue code"),
    ("missing-charge", "charge", "a total charge"),
    ("missing-units", "units", "a number of units"),
)
_LINE_REQUIRED_UB04_OUTPATIENT = (
    ("missing-service-date", "service_date", "a date of service"),
    ("missing-procedure-code", "code", "a HCPCS/CPT code"),
)
_UB04_REQUIRED = (
    ("missing-type-of-bill", "type_of_bill", "the type of bill"),
    ("missing-statement-dates", "statement_from", "the first day the bill covers"),
    ("missing-statement-dates", "statement_to", "the last day the bill covers"),
    ("missing-discharge-status", "discharge_status", "the patient's discharge status"),
)
_UB04_INPATIENT_REQUIRED = (
    ("missing-admission-date", "admission_date", "the admission date"),
    ("missing-admission-type", "admission_type", "the type of admission"),
    ("missing-admission-source", "admission_source", "the point of origin"),
)
_NCCI_KINDS = {"ptp": "ncci-ptp", "mue": "ncci-mue"}
_DEMOGRAPHIC_KINDS = {"sex": "sex-conflict", "age": "age-conflict"}
_POA_VALUES = frozenset("YNUW")
_PATIENT_SEXES = frozenset("FMU")
# Sex conflict edits compare a code's sex with F or M; U (unknown) is not edited.
_EDITED_SEXES = frozenset("FM")
_PLACE_OF_SERVICE = re.compile(r"^[0-9]{2}$")
_TAX_ID = re.compile(r"^[0-9]{9}$")
_TYPE_OF_BILL = re.compile(r"^0?[0-9]{3}$")
_INPATIENT_CLASSIFICATION = "1"


def scrub(claim: Claim, reference: Reference) -> tuple[ScrubEdit, ...]:
    """Every edit that fires on `claim`, in the catalogue's order (`EDITS`)."""
    scrubber = _Scrubber(claim, reference)
    edits = [
        *scrubber.required_fields(),
        *scrubber.formats(),
        *scrubber.demographics(),
        *scrubber.code_validity(),
        *scrubber.pointers(),
        *scrubber.code_edits(),
        *scrubber.addons(),
        *scrubber.payer_rules(),
        *scrubber.resubmission(),
    ]
    return tuple(sorted(edits, key=lambda edit: _ORDER[edit.edit_id]))


def _edit(edit_id: str, field: str, message: str) -> ScrubEdit:
    rule = EDITS[edit_id]
    return ScrubEdit(
        edit_id, str(rule.category), field, message, rule.source, str(rule.severity)
    )


def is_inpatient(facility: Institutional) -> bool:
    """Whether a type of bill is an inpatient one (bill classification 1, e.g.
    111 hospital inpatient, 211 skilled nursing inpatient)."""
    digits = facility.type_of_bill.strip().removeprefix("0")
    return len(digits) == 3 and digits[1] == _INPATIENT_CLASSIFICATION


class _Scrubber:
    """The edits of one claim; each method yields one family of them."""

    def __init__(self, claim: Claim, reference: Reference) -> None:
        self.claim = claim
        self.reference = reference
        self.ub04 = claim.form == ClaimForm.UB04
        self.facility = claim.institutional or Institutional()
        self.inpatient = self.ub04 and is_inpatient(self.facility)
        self.claim_day = self._claim_day()

    def box(self, name: str) -> str:
        if self.ub04 and name in UB04_BOXES:
            return UB04_BOXES[name]
        cms1500, ub04 = BOXES[name]
        return ub04 if self.ub04 else cms1500

    def _claim_day(self) -> date | None:
        """The date codes are checked on: an inpatient claim's through date
        (CMS: inpatient ICD-10 codes by discharge date), else the first date of
        service, else the statement's first day."""
        if self.inpatient:
            return parse_date(self.facility.statement_to)
        days = [parse_date(line.service_date) for line in self.claim.lines]
        days = [day for day in days if day is not None]
        return min(days) if days else parse_date(self.facility.statement_from)

    def line_day(self, line: ServiceLine) -> date | None:
        return parse_date(line.service_date) or self.claim_day

    # Required fields ---------------------------------------------------------

    def required_fields(self) -> Iterator[ScrubEdit]:
        for edit_id, path, box, what in _CLAIM_REQUIRED:
            if not _value_at(self.claim, path):
                yield _edit(
                    edit_id, path, MISSING_FIELD.format(box=self.box(box), what=what)
                )
        if not self.claim.lines:
            message = MISSING_FIELD.format(
                box=self.box("lines"), what="at least one service line"
            )
            yield _edit("missing-service-line", "lines", message)
        if self.ub04:
            yield from self._ub04_required()
        else:
            yield from self._cms1500_required()

    def _cms1500_required(self) -> Iterator[ScrubEdit]:
        if not any(self.claim.diagnoses):
            message = MISSING_FIELD.format(box="Box 21", what="at least one diagnosis")
            yield _edit("missing-diagnosis", "diagnoses.0", message)
        for index, line in enumerate(self.claim.lines):
            yield from self._line_required(index, line, _LINE_REQUIRED_1500)
            if not any(p.strip() for p in line.pointers):
                message = MISSING_LINE_FIELD.format(
                    box="Box 24E", line=index + 1, what="a pointer to its diagnosis"
                )
                yield _edit("missing-pointer", f"lines.{index}.pointers", message)

    def _ub04_required(self) -> Iterator[ScrubEdit]:
        required = _UB04_REQUIRED + (_UB04_INPATIENT_REQUIRED if self.inpatient else ())
        for edit_id, name, what in required:
            if not getattr(self.facility, name):
                message = MISSING_FIELD.format(box=self.box(name), what=what)
                yield _edit(edit_id, f"institutional.{name}", message)
        if not self.facility.principal_diagnosis.code:
            message = MISSING_FIELD.format(box="FL 67", what="the principal diagnosis")
            path = "institutional.principal_diagnosis.code"
            yield _edit("missing-principal-diagnosis", path, message)
        line_required = _LINE_REQUIRED_UB04
        if not self.inpatient:
            line_required += _LINE_REQUIRED_UB04_OUTPATIENT
        for index, line in enumerate(self.claim.lines):
            yield from self._line_required(index, line, line_required)
        if self.inpatient:
            for path, diagnosis in self._facility_diagnoses():
                if diagnosis.code and not diagnosis.poa:
                    message = MISSING_POA.format(box="FL 67", code=diagnosis.code)
                    yield _edit("missing-poa", f"{path}.poa", message)

    def _line_required(self, index, line, required) -> Iterator[ScrubEdit]:
        for edit_id, name, what in required:
            if not getattr(line, name):
                message = MISSING_LINE_FIELD.format(
                    box=self.box(name), line=index + 1, what=what
                )
                yield _edit(edit_id, f"lines.{index}.{name}", message)

    def _facility_diagnoses(self):
        yield "institutional.principal_diagnosis", self.facility.principal_diagnosis
        for index, diagnosis in enumerate(self.facility.other_diagnoses):
            yield f"institutional.other_diagnoses.{index}", diagnosis

    # Formats -----------------------------------------------------------------

    def formats(self) -> Iterator[ScrubEdit]:
        yield from self._dates()
        yield from self._npis()
        tax_id = self.claim.billing_provider.tax_id
        if tax_id and not _TAX_ID.match(tax_id.replace("-", "")):
            message = INVALID_TAX_ID.format(box=self.box("tax_id"), value=tax_id)
            yield _edit("invalid-tax-id", "billing_provider.tax_id", message)
        for index, line in enumerate(self.claim.lines):
            yield from self._line_formats(index, line)
        if self.ub04:
            yield from self._ub04_formats()

    def _dates(self) -> Iterator[ScrubEdit]:
        dated = [("patient.birth_date", self.box("birth_date"))]
        dated += [
            (f"lines.{index}.service_date", f"{self.box('service_date')} on line "
             f"{index + 1}")
            for index in range(len(self.claim.lines))
        ]  # fmt: skip
        if self.ub04:
            for name in ("statement_from", "statement_to", "admission_date"):
                dated.append((f"institutional.{name}", self.box(name)))
        for path, box in dated:
            value = _value_at(self.claim, path)
            if value and parse_date(value) is None:
                message = INVALID_DATE.format(box=box, value=value)
                yield _edit("invalid-date", path, message)

    def _npis(self) -> Iterator[ScrubEdit]:
        npis = [
            ("billing_provider.npi", self.box("billing_npi")),
            ("rendering_provider.npi", self.box("rendering_npi")),
            ("institutional.attending.npi", "FL 76"),
        ]
        npis += [
            (f"lines.{index}.rendering_npi", f"Box 24J on line {index + 1}")
            for index in range(len(self.claim.lines))
        ]
        for path, box in npis:
            value = _value_at(self.claim, path)
            if value and not npi_is_valid(value):
                yield _edit(
                    "invalid-npi", path, INVALID_NPI.format(box=box, value=value)
                )

    def _line_formats(self, index: int, line: ServiceLine) -> Iterator[ScrubEdit]:
        number, path = index + 1, f"lines.{index}"
        checks = (
            ("invalid-charge", "charge", INVALID_CHARGE, parse_money),
            ("invalid-units", "units", INVALID_UNITS, parse_units),
        )
        for edit_id, name, template, parse in checks:
            value = getattr(line, name)
            if value and parse(value) is None:
                message = template.format(box=self.box(name), line=number, value=value)
                yield _edit(edit_id, f"{path}.{name}", message)
        place = line.place_of_service
        if place and not _PLACE_OF_SERVICE.match(place):
            message = INVALID_PLACE_OF_SERVICE.format(
                box="Box 24B", line=number, value=place
            )
            yield _edit("invalid-place-of-service", f"{path}.place_of_service", message)
        for position, modifier in enumerate(line.modifiers):
            if modifier and not check_format(CodeSystem.MODIFIER, modifier).ok:
                message = INVALID_MODIFIER.format(
                    box=self.box("modifiers"), line=number, value=modifier
                )
                yield _edit("invalid-modifier", f"{path}.modifiers.{position}", message)

    def _ub04_formats(self) -> Iterator[ScrubEdit]:
        type_of_bill = self.facility.type_of_bill
        if type_of_bill and not _TYPE_OF_BILL.match(type_of_bill):
            message = INVALID_TYPE_OF_BILL.format(box="FL 4", value=type_of_bill)
            yield _edit("invalid-type-of-bill", "institutional.type_of_bill", message)
        for path, diagnosis in self._facility_diagnoses():
            if diagnosis.poa and diagnosis.poa.upper() not in _POA_VALUES:
                message = INVALID_POA.format(box="FL 67", value=diagnosis.poa)
                yield _edit("invalid-poa-indicator", f"{path}.poa", message)

    # Patient demographics ----------------------------------------------------

    def demographics(self) -> Iterator[ScrubEdit]:
        sex = self.claim.patient.sex
        if sex and sex.upper() not in _PATIENT_SEXES:
            message = INVALID_PATIENT_SEX.format(box=self.box("sex"), value=sex)
            yield _edit("invalid-patient-sex", "patient.sex", message)
        birth = parse_date(self.claim.patient.birth_date)
        if birth is None:
            return
        for index, line in enumerate(self.claim.lines):
            service = parse_date(line.service_date)
            if service is not None and service < birth:
                message = BIRTH_AFTER_SERVICE.format(
                    box=self.box("service_date"),
                    line=index + 1,
                    service=service,
                    birth=birth,
                )
                yield _edit(
                    "birth-after-service", f"lines.{index}.service_date", message
                )

    # Code validity -----------------------------------------------------------

    def code_validity(self) -> Iterator[ScrubEdit]:
        if self.claim_day is not None:
            for path, code in self._diagnosis_fields():
                check = self.reference.code_check(
                    CodeSystem.ICD10CM, code, self.claim_day
                )
                if not check.valid:
                    box = self.box("diagnoses")
                    message = INVALID_CODE.format(box=box, detail=check.message)
                    yield _edit("invalid-diagnosis-code", path, message)
            for index, procedure in enumerate(self.facility.procedures):
                if not self.ub04 or not procedure.code:
                    continue
                check = self.reference.code_check(
                    CodeSystem.ICD10PCS, procedure.code, self.claim_day
                )
                if not check.valid:
                    message = INVALID_CODE.format(box="FL 74", detail=check.message)
                    path = f"institutional.procedures.{index}.code"
                    yield _edit("invalid-pcs-code", path, message)
        for index, line in enumerate(self.claim.lines):
            yield from self._line_code_validity(index, line)

    def _line_code_validity(self, index: int, line: ServiceLine) -> Iterator[ScrubEdit]:
        day = self.line_day(line)
        if not line.code or day is None:
            return
        box, path = self.box("code"), f"lines.{index}.code"
        system = procedure_system(line.code)
        if system is None:
            message = UNRECOGNISED_PROCEDURE.format(
                box=box, line=index + 1, value=line.code
            )
            yield _edit("invalid-procedure-code", path, message)
            return
        check = self.reference.code_check(system, line.code, day)
        if not check.valid:
            message = INVALID_CODE.format(
                box=f"{box} on line {index + 1}", detail=check.message
            )
            yield _edit("invalid-procedure-code", path, message)

    def _diagnosis_fields(self) -> list[tuple[str, str]]:
        if self.ub04:
            return [
                (f"{path}.code", diagnosis.code)
                for path, diagnosis in self._facility_diagnoses()
                if diagnosis.code
            ]
        return [
            (f"diagnoses.{index}", code)
            for index, code in enumerate(self.claim.diagnoses)
            if code
        ]

    # Diagnosis pointers ------------------------------------------------------

    def pointers(self) -> Iterator[ScrubEdit]:
        if self.ub04:
            return
        for index, line in enumerate(self.claim.lines):
            for position, pointer in enumerate(line.pointers):
                if pointer.strip() and self._pointed(pointer) is None:
                    message = POINTER_WITHOUT_DIAGNOSIS.format(
                        line=index + 1, pointer=pointer.strip()
                    )
                    path = f"lines.{index}.pointers.{position}"
                    yield _edit("pointer-without-diagnosis", path, message)

    def _pointed(self, pointer: str) -> str | None:
        letter = pointer.strip().upper()
        if len(letter) != 1 or letter not in POINTER_LETTERS:
            return None
        return self.claim.pointer_target(letter)

    # Edits over the claim's codes (Excludes1, NCCI PTP and MUE, sex and age) --

    def code_edits(self) -> Iterator[ScrubEdit]:
        if self.claim_day is None:
            return
        lines_by_day: dict[date, list[int]] = defaultdict(list)
        lines_by_day[self.claim_day] = []
        for index, line in enumerate(self.claim.lines):
            day = self.line_day(line)
            if day is not None and procedure_system(line.code) is not None:
                lines_by_day[day].append(index)
        for day, indexes in lines_by_day.items():
            # Diagnoses and PCS procedures belong to the claim, not to a day:
            # they are checked once, on the claim's date.
            first = day == self.claim_day
            diagnoses = self._diagnosis_fields() if first else []
            pcs = [
                (f"institutional.procedures.{i}.code", p.code)
                for i, p in enumerate(self.facility.procedures)
                if first and self.ub04 and p.code
            ]
            findings = self.reference.code_edits(
                on=day,
                diagnoses=[code for _, code in diagnoses],
                lines=[self._edit_line(self.claim.lines[i]) for i in indexes],
                pcs_procedures=[code for _, code in pcs],
                sex=self._sex_for_edits(),
                age=self._age_on(day),
            )
            places = _Places(diagnoses, pcs, indexes, self.claim.lines)
            for finding in findings:
                if finding.blocking:
                    yield from self._code_edit(finding, places)

    @staticmethod
    def _edit_line(line: ServiceLine) -> tuple[str, tuple[str, ...], int]:
        modifiers = tuple(m for m in line.modifiers if m)
        return line.code, modifiers, parse_units(line.units) or 1

    def _sex_for_edits(self) -> str | None:
        sex = self.claim.patient.sex.upper()
        return sex if sex in _EDITED_SEXES else None

    def _age_on(self, day: date) -> int | None:
        birth = parse_date(self.claim.patient.birth_date)
        if birth is None or birth > day:
            return None
        return age_on(birth, day)

    def _code_edit(self, finding: CodeEdit, places: _Places) -> Iterator[ScrubEdit]:
        if finding.kind == "excludes1" and len(finding.codes) == 2:
            path = places.diagnosis(finding.codes[1])
            message = EXCLUDES1_PAIR.format(
                box=self.box("diagnoses"), detail=finding.message
            )
            yield _edit("excludes1-pair", path or "diagnoses", message)
        elif finding.kind in _NCCI_KINDS and finding.codes:
            index = places.line(finding.codes[-1])
            if index is None:
                return
            name = "code" if finding.kind == "ptp" else "units"
            message = NCCI_EDIT.format(
                box=self.box(name), line=index + 1, detail=finding.message
            )
            yield _edit(_NCCI_KINDS[finding.kind], f"lines.{index}.{name}", message)
        elif finding.kind in _DEMOGRAPHIC_KINDS and finding.codes:
            path, box = places.anywhere(finding.codes[0], self)
            message = DEMOGRAPHIC_EDIT.format(
                box=box,
                detail=finding.message,
                demographics_box=self.box("demographics"),
            )
            yield _edit(_DEMOGRAPHIC_KINDS[finding.kind], path, message)

    # Add-on codes --------------------------------------------------------------

    def addons(self) -> Iterator[ScrubEdit]:
        lines = self.claim.lines
        for index, line in enumerate(lines):
            primaries = (
                self.reference.addon_primaries(compact(line.code))
                if line.code
                else None
            )
            if primaries is None:
                continue
            same_day = {
                compact(other.code)
                for other in lines
                if other is not line and other.service_date == line.service_date
            }
            if not primaries & same_day:
                message = ADDON_WITHOUT_PRIMARY.format(
                    box=self.box("code"),
                    line=index + 1,
                    code=line.code,
                    primaries=", ".join(sorted(primaries)),
                )
                yield _edit("addon-without-primary", f"lines.{index}.code", message)

    # The payer's rules -------------------------------------------------------

    def payer_rules(self) -> Iterator[ScrubEdit]:
        payer_id = self.claim.insurance.payer_id
        if not payer_id:
            return
        payer = self.reference.payer(payer_id)
        if payer is None:
            message = UNKNOWN_PAYER.format(box=self.box("payer"), value=payer_id)
            yield _edit("unknown-payer", "insurance.payer_id", message)
            return
        for index, line in enumerate(self.claim.lines):
            if line.code:
                yield from self._medical_necessity(payer, index, line)
                yield from self._authorization(payer, index, line)

    def _medical_necessity(
        self, payer: Payer, index: int, line: ServiceLine
    ) -> Iterator[ScrubEdit]:
        code = compact(line.code)
        if self.ub04:
            diagnoses, path = self.claim.all_diagnoses(), f"lines.{index}.code"
        else:
            pointed = (self._pointed(p) for p in line.pointers)
            diagnoses = [d for d in pointed if d]
            path = f"lines.{index}.pointers"
        if not diagnoses:
            return
        for policy in payer.policies:
            if not policy.published or code not in policy.codes:
                continue
            if not any(policy.covers(diagnosis) for diagnosis in diagnoses):
                message = NOT_MEDICALLY_NECESSARY.format(
                    line=index + 1,
                    code=line.code,
                    payer=payer.name,
                    policy_id=policy.id,
                    policy_title=policy.title,
                    diagnoses=", ".join(diagnoses),
                )
                yield _edit("medical-necessity", path, message)

    def _authorization(
        self, payer: Payer, index: int, line: ServiceLine
    ) -> Iterator[ScrubEdit]:
        if compact(line.code) in payer.authorization_codes and not (
            self.claim.prior_authorization
        ):
            message = MISSING_PRIOR_AUTHORIZATION.format(
                line=index + 1,
                code=line.code,
                payer=payer.name,
                box=self.box("prior_authorization"),
            )
            yield _edit("missing-prior-authorization", "prior_authorization", message)

    # Resubmission ------------------------------------------------------------

    def resubmission(self) -> Iterator[ScrubEdit]:
        frequency = self.claim.frequency
        corrections = {Frequency.REPLACEMENT: "replacement", Frequency.VOID: "void"}
        if frequency not in corrections or self.claim.original_reference:
            return
        kind = corrections[Frequency(frequency)]
        message = MISSING_ORIGINAL_REFERENCE.format(
            box=self.box("original_reference"),
            kind=kind,
            frequency=frequency,
            verb="replaces" if kind == "replacement" else "cancels",
        )
        yield _edit("missing-original-reference", "original_reference", message)


class _Places:
    """Where each code of one `code_edits` call sits on the claim."""

    def __init__(self, diagnoses, pcs, line_indexes, lines) -> None:
        self.diagnoses = {compact(code): path for path, code in reversed(diagnoses)}
        self.pcs = {compact(code): path for path, code in reversed(pcs)}
        self.lines = {compact(lines[i].code): i for i in reversed(line_indexes)}

    def diagnosis(self, code: str) -> str | None:
        return self.diagnoses.get(compact(code))

    def line(self, code: str) -> int | None:
        return self.lines.get(compact(code))

    def anywhere(self, code: str, scrubber: _Scrubber) -> tuple[str, str]:
        """The field path and box of a code among diagnoses, lines and PCS."""
        if (path := self.diagnosis(code)) is not None:
            return path, scrubber.box("diagnoses")
        if (index := self.line(code)) is not None:
            return f"lines.{index}.code", f"{scrubber.box('code')} on line {index + 1}"
        return self.pcs.get(compact(code), "lines"), "FL 74"


def _value_at(claim: Claim, path: str) -> str:
    """The text in the box at a dotted field path ("" past the end of a list)."""
    value: object = claim
    for part in path.split("."):
        if value is None:
            return ""
        if part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        else:
            value = getattr(value, part)
    return value if isinstance(value, str) else ""

"""The answer-key editor: the StreamField blocks instructors write key lines with,
for case studies, lessons' code-entry checks and exam coding items alike.

Every code input is completed from the code book and checked against the code set
in force on the key's date of service as the instructor types (key-editor.js, the
inputs' media); the server checks the whole key again on save. How a key's lines
become the engine's JSON and back is `grading.keys`.
"""

import json
import re
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from wagtail import blocks

from grading.engine import SchemaError, Setting, parse_key
from grading.keys import (
    SECTION_OF_BLOCK,
    author_problem,
    blocks_from_key,
    key_errors,
    key_from_blocks,
)
from grading.models import ClaimSetting

CODES_HELP = "Separate several with commas."
KEY_NOT_AN_OBJECT = "The answer key must be a JSON object."
KEY_HAS_NO_LINE = "Add the key's lines: at least one diagnosis, procedure or service."
_LINE_PATH = re.compile(r"^(?P<section>\w+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?")


class CodeInput(forms.TextInput):
    """A code input; its media make it the key editor's: autocomplete and a
    check against the code set as soon as the instructor leaves it."""

    class Media:
        js = ("codesets/code-autocomplete.js", "grading/key-editor.js")
        css = {"all": ("codesets/codesets.css", "grading/key-editor.css")}


class KeyCodeBlock(blocks.FieldBlock):
    """The expected code of a key line, in `system` (cpt also takes HCPCS)."""

    def __init__(self, system: str, **kwargs):
        self.field = forms.CharField(
            max_length=16,
            help_text="The expected code.",
            widget=CodeInput(
                attrs={
                    "data-code-system": system,
                    "data-code-check": "",
                    "autocomplete": "off",
                }
            ),
        )
        super().__init__(**kwargs)


class CommonErrorBlock(blocks.StructBlock):
    """A known wrong answer and why it is wrong."""

    code = blocks.CharBlock()
    explanation = blocks.TextBlock()

    class Meta:
        icon = "warning"


class ModifierAlternativeBlock(blocks.StructBlock):
    """Another set of modifiers accepted on a service line, and why."""

    modifiers = blocks.CharBlock(
        required=False,
        help_text=f"The accepted set, e.g. 59 where the key has XS. {CODES_HELP}",
    )
    reason = blocks.TextBlock(
        help_text="Why it is accepted, shown to a learner who gives it, e.g. the "
        "payer accepts 59 where no X modifier applies."
    )

    class Meta:
        icon = "tick-inverse"


class KeyLineBlock(blocks.StructBlock):
    """One expected line of the answer key."""

    alternatives = blocks.CharBlock(
        required=False, help_text=f"Equally correct codes. {CODES_HELP}"
    )
    optional = blocks.BooleanBlock(
        required=False, help_text="Accepted but not required."
    )
    common_errors = blocks.ListBlock(CommonErrorBlock(), default=[])
    rationale = blocks.TextBlock(help_text="Why this code, in our own words.")
    reference = blocks.CharBlock(
        required=False, help_text="Guideline or manual section, e.g. I.C.4.a."
    )

    class Meta:
        icon = "tick"
        form_classname = "key-line"


class DiagnosisLineBlock(KeyLineBlock):
    """An ICD-10-CM line; the first is the principal or first-listed diagnosis."""

    code = KeyCodeBlock("icd10cm")
    poa = blocks.ChoiceBlock(
        choices=[
            ("Y", "Y: present on admission"),
            ("N", "N: not present on admission"),
            ("U", "U: documentation insufficient"),
            ("W", "W: clinically undetermined"),
            ("1", "1: exempt from POA reporting"),
        ],
        required=False,
        help_text="Inpatient only: the present-on-admission indicator the learner "
        "must give (ICD-10-CM Official Guidelines, Appendix I). Leave blank to not "
        "grade it.",
    )

    class Meta:
        label = "Diagnosis (ICD-10-CM)"


class ProcedureLineBlock(KeyLineBlock):
    """An ICD-10-PCS line (inpatient); the first is the principal procedure."""

    code = KeyCodeBlock("icd10pcs")

    class Meta:
        label = "Procedure (ICD-10-PCS)"


class ServiceLineBlock(KeyLineBlock):
    """A CPT or HCPCS Level II service line with modifiers, units and pointers."""

    code = KeyCodeBlock("cpt")

    modifiers = blocks.CharBlock(required=False, help_text=f"Up to 4. {CODES_HELP}")
    modifier_alternatives = blocks.ListBlock(
        ModifierAlternativeBlock(), default=[], label="Modifier alternatives"
    )
    units = blocks.IntegerBlock(default=1, min_value=1, max_value=9999)
    pointers = blocks.CharBlock(
        required=False,
        help_text="Diagnosis numbers (1 = first diagnosis line), up to 4. "
        + CODES_HELP,
    )

    class Meta:
        label = "Service line (CPT/HCPCS)"


class KeyLinesBlock(blocks.StreamBlock):
    """The key's lines: diagnosis, procedure and service lines; order matters within
    each kind (the first diagnosis and procedure are principal)."""

    diagnosis = DiagnosisLineBlock()
    procedure = ProcedureLineBlock()
    service_line = ServiceLineBlock()


class WeightOverridesBlock(blocks.FieldBlock):
    """Rows of the scoring table a key weighs differently, as a JSON object (the
    case page's Weight overrides field, inside a key)."""

    def __init__(self, **kwargs):
        self.field = forms.JSONField(
            required=False,
            help_text='e.g. {"modifier_payment": 1.0}; rows and their units: '
            "docs/grading.md.",
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        super().__init__(**kwargs)

    def value_from_form(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return InvalidJSONInput(value)
        return value


class AnswerKeyBlock(blocks.StructBlock):
    """A whole answer key (claim setting, date of service, lines, weights) edited
    with the key lines' blocks and stored as the grading engine's key JSON
    (docs/grading.md), which is what the rest of the site reads.

    A key typed in the editor is checked as a case's is, against the code sets
    too, and its problems are shown on the lines' fields; a key read from an
    import file (already the engine's JSON) is checked against the engine's
    schema, its codes by `manage.py check_content`. A key without lines is empty
    (`{}`), refused unless the block is built with `required=False`.
    """

    setting = blocks.ChoiceBlock(
        choices=ClaimSetting.choices,
        default=Setting.PROFESSIONAL.value,
        help_text="The claim the key is for: inpatient keys use ICD-10-PCS lines, "
        "the others service lines.",
    )
    date_of_service = blocks.DateBlock(
        help_text="Pins the code-set release the key is checked and graded against."
    )
    lines = KeyLinesBlock(required=False)
    weights = WeightOverridesBlock(label="Weight overrides")

    class Meta:
        icon = "tick"
        required = True
        form_attrs = {"data-answer-key": ""}

    @property
    def required(self):
        return self.meta.required

    def deconstruct(self):
        # Recorded by its own path, not as a plain StructBlock: what a migration
        # would read or write is the engine's JSON, not the editor's fields.
        return blocks.Block.deconstruct(self)

    def deconstruct_with_lookup(self, lookup):
        return self.deconstruct()

    @classmethod
    def construct_from_lookup(cls, lookup, *args, **kwargs):
        return cls(*args, **kwargs)

    def editor_value(self, value) -> blocks.StructValue:
        """The key as the editor's fields, from the engine's JSON."""
        if isinstance(value, blocks.StructValue):
            return value
        value = value or {}
        return super().to_python(
            {
                "setting": value.get("setting", Setting.PROFESSIONAL.value),
                "date_of_service": value.get("date_of_service") or None,
                "lines": blocks_from_key(value),
                "weights": value.get("weights", {}),
            }
        )

    def key_of(self, value: blocks.StructValue) -> dict:
        """The engine's JSON of the editor's fields; `{}` when there is no line."""
        if not value["lines"]:
            return {}
        return key_from_blocks(
            value["lines"],
            setting=value["setting"],
            date_of_service=value["date_of_service"],
            weights=value["weights"],
        )

    def to_python(self, value):
        return value

    def bulk_to_python(self, values):
        return list(values)

    def get_prep_value(self, value):
        # Normal form, so that a key saved unchanged compares equal to the stored
        # one (the admin's "has this changed?" that an approval relies on).
        return self.key_of(self.editor_value(value))

    def normalize(self, value):
        return self.get_prep_value(value)

    def get_default(self):
        return {}

    def get_form_state(self, value):
        return super().get_form_state(self.editor_value(value))

    def get_searchable_content(self, value):
        return []

    def extract_references(self, value):
        return []

    def get_api_representation(self, value, context=None):
        return self.get_prep_value(value)

    def get_comparison_class(self):
        from wagtail.admin.compare import StructBlockComparison

        class KeyComparison(StructBlockComparison):
            def __init__(self, block, exists_a, exists_b, val_a, val_b):
                super().__init__(
                    block,
                    exists_a,
                    exists_b,
                    block.editor_value(val_a),
                    block.editor_value(val_b),
                )

            def htmlvalue(self, val):
                return super().htmlvalue(self.block.editor_value(val))

        return KeyComparison

    def clean(self, value):
        if not isinstance(value, blocks.StructValue):
            return self._clean_imported(value)
        if not value["lines"] and not self.required:
            return {}
        value = super().clean(value)
        if not value["lines"]:
            raise blocks.StructBlockValidationError(non_block_errors=[KEY_HAS_NO_LINE])
        key = self.key_of(value)
        errors = key_errors(key)
        if errors:
            raise self._editor_errors(value, errors)
        return key

    def _clean_imported(self, value):
        if not value and not self.required:
            return {}
        if not isinstance(value, dict):
            raise ValidationError(KEY_NOT_AN_OBJECT)
        try:
            parse_key(value)
        except SchemaError as error:
            raise ValidationError(
                # Read inside an import's chain of places, not as a sentence.
                [
                    author_problem(path, message, sentence=False)
                    for path, message in error.errors
                ]
            ) from None
        return value

    def _editor_errors(self, value, errors) -> blocks.StructBlockValidationError:
        """The key's problems on the fields that hold them: a line's field, the
        setting, the date or the weights; the rest on the key as a whole. Each
        message names its place as an author reads it."""
        stream_index = {}
        seen = defaultdict(int)
        for index, child in enumerate(value["lines"]):
            section = SECTION_OF_BLOCK[child.block_type]
            stream_index[(section, seen[section])] = index
            seen[section] += 1
        on_lines = defaultdict(lambda: defaultdict(list))
        on_key = defaultdict(list)
        general = []
        for problem in errors:
            path, message = problem.path, str(problem)
            match = _LINE_PATH.match(path)
            where = match and stream_index.get((match["section"], int(match["index"])))
            if where is not None:
                field = match["field"]
                if field not in value["lines"][where].block.child_blocks:
                    field = None
                on_lines[where][field].append(message)
                continue
            name = path.split(".")[0].split("[")[0]
            if name in ("setting", "date_of_service", "weights"):
                on_key[name].append(message)
            else:
                general.append(message)
        line_errors = {
            index: blocks.StructBlockValidationError(
                block_errors={
                    name: ValidationError(messages)
                    for name, messages in fields.items()
                    if name is not None
                },
                non_block_errors=fields.get(None),
            )
            for index, fields in on_lines.items()
        }
        if line_errors:
            on_key["lines"] = blocks.StreamBlockValidationError(
                block_errors=line_errors
            )
        return blocks.StructBlockValidationError(
            block_errors={
                name: error if name == "lines" else ValidationError(error)
                for name, error in on_key.items()
            },
            non_block_errors=general,
        )

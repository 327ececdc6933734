"""The learner's dispute form and the instructor's ruling form."""

from django import forms

from disputes.models import Dispute
from disputes.services import EXPLANATION_REQUIRED


class DisputeForm(forms.ModelForm):
    class Meta:
        model = Dispute
        fields = ["reason", "citation"]
        labels = {
            "reason": "Why the feedback is wrong",
            "citation": "Guideline citation",
        }
        help_texts = {
            "reason": "Say what you coded, why, and what the record documents.",
            "citation": "The rule that supports you, e.g. ICD-10-CM Guidelines "
            "I.C.4.a or CPT E/M guidelines.",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 6})}


class RulingForm(forms.Form):
    REJECT = "reject"
    UPHOLD = "uphold"

    decision = forms.ChoiceField(
        choices=[
            (REJECT, "Reject: the feedback stands"),
            (UPHOLD, "Change the key: the learner is right"),
        ],
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Sent to the learner. Required to reject; optional when the key "
        "is changed.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == self.REJECT
            and not cleaned.get("explanation", "").strip()
        ):
            self.add_error("explanation", EXPLANATION_REQUIRED)
        return cleaned

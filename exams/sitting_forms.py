"""The admin form of an exam sitting: expected learners picked from the list or
pasted as emails, and the instructor defaulting to whoever creates it."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

UNKNOWN_EMAIL = "No active account has the email {email}."
EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


class ExamSittingForm(WagtailAdminModelForm):
    learner_emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Add learners by email",
        help_text="Paste a class list: one email per line, or separated by commas. "
        "Each must belong to an existing account.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("email")
        )

    def clean_learner_emails(self):
        emails = [
            email
            for email in EMAIL_SEPARATORS.split(self.cleaned_data["learner_emails"])
            if email
        ]
        matches = Q(pk__in=[])
        for email in emails:
            matches |= Q(email__iexact=email)
        known = {
            user.email.lower(): user
            for user in get_user_model().objects.filter(matches, is_active=True)
        }
        unknown = [email for email in emails if email.lower() not in known]
        if unknown:
            raise ValidationError(
                [UNKNOWN_EMAIL.format(email=email) for email in unknown]
            )
        return list(known.values())

    def save(self, commit=True):
        sitting = super().save(commit=False)
        if sitting.instructor_id is None and self.for_user is not None:
            sitting.instructor = self.for_user
        if commit:
            sitting.save()
            self._save_m2m()
            sitting.learners.add(*self.cleaned_data["learner_emails"])
        return sitting

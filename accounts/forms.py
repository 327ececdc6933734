from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

NAME_LABEL = "Your name"
NAME_HELP = "What the site calls you: on your dashboard and to your instructors."


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=NAME_LABEL,
        max_length=150,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the name the site greets people by, asked first;
    AccountAdapter.save_user stores it."""

    display_name = _name_field()
    field_order = ["display_name", "email", "password1", "password2"]


class NameForm(forms.Form):
    display_name = _name_field()

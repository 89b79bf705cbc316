"""The forms where people give their name: allauth's sign-up (through
``ACCOUNT_SIGNUP_FORM_CLASS``, which allauth imports while building its own
forms, so this module must not import ``allauth.account.forms``) and the
account page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SignupNameForm(forms.Form):
    """First and last name, asked at sign-up: other members see them in
    lists, chat and minutes. allauth's adapter copies them to the user."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )

    def signup(self, request, user):
        """allauth's hook after saving; the adapter has set the names."""


class AccountProfileForm(SignupNameForm):
    """The person's own name and preferred language ('': none chosen)."""

    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("not chosen")), *settings.LANGUAGES],
        required=False,
    )

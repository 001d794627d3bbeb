"""The code of the second factor (a 6-digit TOTP code or a recovery code)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "none"}),
    )

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy


class NewAccountForm(forms.Form):
    """An invited address without an account: the person's own name and a password of their choice."""

    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", gettext_lazy("The two passwords differ."))
        return cleaned

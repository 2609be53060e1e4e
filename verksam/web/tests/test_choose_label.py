"""Every select offers "Välj …" where Django would show "---------" (issue 12 item 2)."""

from django import forms
from django.utils import translation

from verksam.tenancy.models import Licence, Membership


class _Form(forms.Form):
    member = forms.ModelChoiceField(queryset=Membership.all_tenants.none(), required=False)
    licence = forms.TypedChoiceField(choices=[("", "---------"), *Licence.choices], required=False)


def test_an_empty_choice_reads_choose_in_swedish_and_english(db):
    with translation.override("sv"):
        html = str(_Form())
    assert "---------" not in html
    assert html.count("Välj …") == 2
    with translation.override("en"):
        assert "Choose …" in str(_Form())

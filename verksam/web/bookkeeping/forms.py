"""Forms of the bookkeeping pages (labels English msgids, Swedish through gettext)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.bookkeeping.models import VoucherStatus


class VoucherFilterForm(forms.Form):
    series = forms.CharField(label=_("Series"), required=False, max_length=10)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(VoucherStatus.choices)
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _account(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )


class AccountSettingsForm(forms.Form):
    input_vat_account = _account(_("Input VAT"))
    outlay_liability_account = _account(_("Outlays owed to employees"))
    bank_account = _account(_("Bank"))
    card_settlement_account = forms.CharField(
        label=_("Card settlement account"),
        max_length=4,
        required=False,
        help_text=_("Leave empty to credit card purchases to the bank account."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )
    outlay_series = forms.CharField(label=_("Series for outlays"), max_length=10)
    card_series = forms.CharField(label=_("Series for card purchases"), max_length=10)
    manual_series = forms.CharField(label=_("Series for manual vouchers"), max_length=10)


class CostAccountForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    account = _account(_("Account"))


class FiscalYearForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the end of the calendar year."),
    )


class ReverseForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the reversal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

"""Forms of the bookkeeping pages (labels English msgids, Swedish through gettext)."""

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.bookkeeping.dto import RowOut
from verksam.bookkeeping.models import VoucherStatus
from verksam.bookkeeping.services import MAX_ROWS
from verksam.web.expenses.forms import KronorField


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


class VoucherForm(forms.Form):
    """The head of a voucher entered by hand (Nytt verifikat)."""

    series = forms.CharField(label=_("Series"), max_length=10)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label=_("Text"), max_length=200)


class VoucherRowForm(forms.Form):
    """One row: an account and a debit or a credit in kronor ("1 250,50"); an empty row is skipped."""

    account = forms.CharField(
        label=_("Account"),
        max_length=4,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "size": 5, "list": "voucher-accounts", "autocomplete": "off"}
        ),
    )
    debit = KronorField(label=_("Debit (kr)"), required=False)
    credit = KronorField(label=_("Credit (kr)"), required=False)
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, projects: Sequence[tuple[int, str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "–"), *((pk, f"{number} {name}") for pk, number, name in projects)]

    def row(self) -> RowOut | None:
        """The row as the service takes it, or None when left empty."""
        data = self.cleaned_data
        account = (data.get("account") or "").strip()
        if not account and not data.get("debit") and not data.get("credit"):
            return None
        return RowOut(
            account,
            debit_ore=data.get("debit") or 0,
            credit_ore=data.get("credit") or 0,
            project_id=data.get("project"),
        )


VoucherRowFormSet = forms.formset_factory(VoucherRowForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS)

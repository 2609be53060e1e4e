"""Forms of Mina kortköp (the holder, phone first), Företagskort (admin) and the statement import."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.cards.models import Card
from verksam.tenancy.models import Membership
from verksam.web.expenses.forms import DATE, KronorField
from verksam.web.forms import TenantForm

RECEIPT = forms.ClearableFileInput(
    attrs={"accept": "image/*,application/pdf", "capture": "environment", "data-receipt-input": "1"}
)


def _account_choices():
    from verksam.bookkeeping.selectors import cost_accounts

    return [("", "—")] + [(c.account, f"{c.account} {c.name}") for c in cost_accounts()]


class PurchaseForm(TenantForm):
    receipt_file = forms.FileField(label=_("Receipt (photo or PDF)"), required=False, widget=RECEIPT)
    card: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Card"), empty_label=None)
    purchase_date = forms.DateField(label=_("Date of purchase"), widget=DATE)
    merchant = forms.CharField(label=_("Merchant"), max_length=200)
    amount = KronorField(label=_("Amount incl. VAT (kr)"))
    vat_25 = KronorField(label=_("VAT 25 % (kr)"), required=False)
    vat_12 = KronorField(label=_("VAT 12 % (kr)"), required=False)
    vat_6 = KronorField(label=_("VAT 6 % (kr)"), required=False)
    account = forms.ChoiceField(label=_("Cost account"), required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args, membership_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["card"]).queryset = Card.objects.filter(
            holder_id=membership_id, active=True
        )
        self.fields["purchase_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        cast(forms.ChoiceField, self.fields["account"]).choices = _account_choices()


class LineForm(TenantForm):
    """A statement line: the holder adds the receipt, VAT, account and description."""

    receipt_file = forms.FileField(label=_("Receipt (photo or PDF)"), required=False, widget=RECEIPT)
    vat_25 = KronorField(label=_("VAT 25 % (kr)"), required=False)
    vat_12 = KronorField(label=_("VAT 12 % (kr)"), required=False)
    vat_6 = KronorField(label=_("VAT 6 % (kr)"), required=False)
    account = forms.ChoiceField(label=_("Cost account"), required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = _account_choices()


class CardForm(TenantForm):
    holder: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Card holder"), empty_label=None
    )
    last_four = forms.CharField(
        label=_("Last four digits"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )
    name = forms.CharField(label=_("Name"), max_length=80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = Membership.objects.filter(is_active=True).select_related("user")
        self.fields["holder"].label_from_instance = lambda m: m.user.name or m.user.email


class StatementForm(TenantForm):
    file = forms.FileField(
        label=_("Card statement (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > 366):
            raise forms.ValidationError(_("Choose a period of at most one year."))
        return data

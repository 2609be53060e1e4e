"""Forms of Mina utlägg, Mina resor, the approver's claims and the expense settings."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.core.money import Money
from verksam.expenses.models import ExpenseType, RateKind, Vehicle
from verksam.web.forms import TenantForm

_KRONOR = re.compile(r"^[0-9]{1,9}([.,][0-9]{1,2})?$", re.ASCII)  # "١٠" or "²" are not kronor


class KronorField(forms.CharField):
    """Kronor as typed on a phone ("125,50", "1 250") -> öre."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in ("", None):
            return 0
        text = str(text).replace(" ", "").replace("\u00a0", "")
        if not _KRONOR.match(text):
            raise ValidationError(_("Enter an amount in kronor, e.g. 125,50."))
        try:
            return Money.from_kronor(Decimal(text.replace(",", "."))).ore
        except InvalidOperation as exc:
            raise ValidationError(_("Enter an amount in kronor, e.g. 125,50.")) from exc


_COUNT = re.compile(r"^[0-9]{1,12}$", re.ASCII)


class CountField(forms.CharField):
    """A whole number typed in ASCII digits ("٣" and "²" are refused, not read as 3 or 2); the range
    is the service's rule (its Swedish message)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if not _COUNT.match(text):
            raise ValidationError(_("Enter a whole number in digits, e.g. 4."))
        return int(text)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExpenseForm(TenantForm):
    receipt_file = forms.FileField(
        label=_("Receipt (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment", "data-receipt-input": "1"}
        ),
    )
    expense_type: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Type"), empty_label=None
    )
    purchase_date = forms.DateField(label=_("Date of purchase"), widget=DATE)
    amount = KronorField(label=_("Amount incl. VAT (kr)"))
    vat_25 = KronorField(label=_("VAT 25 % (kr)"), required=False)
    vat_12 = KronorField(label=_("VAT 12 % (kr)"), required=False)
    vat_6 = KronorField(label=_("VAT 6 % (kr)"), required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    participants = CountField(label=_("Number of participants (representation)"), required=False)
    representation_note = forms.CharField(
        label=_("Participants and purpose (representation)"),
        max_length=500,
        required=False,
        help_text=_(
            "For representation: who took part (names and companies) and why. The VAT is deductible "
            "on at most 300 kr excl. VAT per person."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expense_type"].queryset = ExpenseType.objects.filter(active=True)
        self.fields["purchase_date"].widget.attrs["max"] = timezone.localdate().isoformat()


class TripForm(TenantForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    origin = forms.CharField(label=_("From"), max_length=200)
    destination = forms.CharField(label=_("To"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    km = forms.IntegerField(label=_("Kilometres"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    vehicle = forms.ChoiceField(label=_("Vehicle"), choices=Vehicle.choices)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PerDiemForm(TenantForm):
    departure = forms.DateTimeField(label=_("Departure"), widget=DATETIME)
    return_at = forms.DateTimeField(label=_("Return"), widget=DATETIME)
    destination = forms.CharField(label=_("Destination"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    far_from_home = forms.BooleanField(
        label=_("Overnight stay more than 50 km from both home and workplace"), required=False, initial=True
    )
    nights_without_lodging = forms.IntegerField(
        label=_("Nights without paid lodging"), min_value=0, max_value=90, initial=0
    )
    stay_began_on = forms.DateField(
        label=_("At the same place since"),
        required=False,
        widget=DATE,
        help_text=_(
            "The day the stay at this place began, if the trip continues an earlier one (a long trip "
            "registered month by month). After three months the tax-free day allowance is 70 percent, after "
            "two years 50 percent. A break of at least four weeks at the place starts a new stay. Empty: "
            "the day of departure."
        ),
    )


class MealsForm(forms.Form):
    """One row of three check boxes per day of the trip (free breakfast, lunch, dinner)."""

    def __init__(self, *args, days: list[dt.date], initial_meals: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.days = days
        for day in days:
            for meal in "bld":
                self.fields[f"{day.isoformat()}-{meal}"] = forms.BooleanField(
                    required=False, initial=meal in initial_meals.get(day.isoformat(), "")
                )

    def meals(self) -> dict[str, str]:
        out = {}
        for day in self.days:
            text = "".join(m for m in "bld" if self.cleaned_data.get(f"{day.isoformat()}-{m}"))
            if text:
                out[day.isoformat()] = text
        return out

    def rows(self):
        return [(day, [self[f"{day.isoformat()}-{m}"] for m in "bld"]) for day in self.days]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ExpenseTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    account = forms.CharField(label=_("BAS account"), max_length=4, min_length=4)
    paxml_code = forms.CharField(label=_("PAXml code"), max_length=20, initial="UTLÄGG")
    payroll_code = forms.CharField(label=_("Pay code"), max_length=20, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    representation = forms.BooleanField(
        label=_("Representation (meals): participants required, VAT deductible on at most 300 kr a person"),
        required=False,
    )


class RateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RateKind.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    tax_free = KronorField(label=_("Tax-free amount (kr)"))
    paid = KronorField(label=_("Paid by the company (kr)"))
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

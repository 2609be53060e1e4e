"""Forms of the projects module. Money is typed in kronor and stored in öre (DESIGN.md rule 14)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.core.money import Money
from verksam.projects.models import PricingType, ProjectKind, ProjectStatus
from verksam.tenancy.models import Membership
from verksam.tenancy.selectors import membership_list
from verksam.web.forms import TenantForm

MAX_KRONOR = Decimal("9999999999.99")


def _kronor_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_KRONOR,
        decimal_places=2,
        localize=True,  # "850,50" as well as "850.50"
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )


class ProjectForm(TenantForm):
    """Create and edit a project. Without PRICES_VIEW the price fields are not in the form at all."""

    number = forms.CharField(
        label=_("Number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to get the next free number."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    customer_name = forms.CharField(label=_("Customer"), max_length=200, required=False)
    manager: forms.ModelChoiceField[Membership] = forms.ModelChoiceField(
        label=_("Project manager"), queryset=None, required=False
    )
    pricing_type = forms.ChoiceField(label=_("Pricing type"), choices=PricingType.choices)
    hourly_rate = _kronor_field(_("Hourly rate (kr, excl. VAT)"))
    fixed_price = _kronor_field(_("Fixed price (kr, excl. VAT)"))
    start_date = _date_field(_("Start date"))
    end_date = _date_field(_("End date"))
    site_address = forms.CharField(label=_("Work-site address"), max_length=200, required=False)
    site_postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    site_city = forms.CharField(label=_("City"), max_length=100, required=False)

    def __init__(self, *args, show_prices: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        manager = self.fields["manager"]
        assert isinstance(manager, forms.ModelChoiceField)
        manager.queryset = membership_list(active_only=True)
        if not show_prices:
            del self.fields["hourly_rate"]
            del self.fields["fixed_price"]
        self.show_prices = show_prices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the service takes it: prices in öre, and only when shown."""
        data = dict(self.cleaned_data)
        for field, target in (("hourly_rate", "hourly_rate_ore"), ("fixed_price", "fixed_price_ore")):
            if field in data:
                kronor = data.pop(field)
                data[target] = None if kronor is None else Money.from_kronor(kronor).ore
        return data

    @staticmethod
    def initial_for(project) -> dict[str, Any]:
        return {
            "number": project.number,
            "name": project.name,
            "kind": project.kind,
            "customer_name": project.customer_name,
            "manager": project.manager_id,
            "pricing_type": project.pricing_type,
            "hourly_rate": project.hourly_rate.kronor if project.hourly_rate else None,
            "fixed_price": project.fixed_price.kronor if project.fixed_price else None,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "site_address": project.site_address,
            "site_postcode": project.site_postcode,
            "site_city": project.site_city,
        }


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ProjectStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ProjectKind.choices]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, name, customer or place")


class MemberAddForm(TenantForm):
    membership: forms.ModelChoiceField[Membership] = forms.ModelChoiceField(label=_("User"), queryset=None)

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

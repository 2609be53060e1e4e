"""Forms of Inställningar > Tidsinställningar. The rules live in verksam.timecodes.services."""

from django import forms
from django.utils.translation import gettext_lazy

from verksam.timecodes.models import (
    MAX_BANK_FACTOR,
    PAXML_TIME_CODES,
    ExcessTimeRule,
    PayrollSystem,
    TimeBankEffect,
    TimeCodeKind,
)
from verksam.timecodes.services import MAX_REMINDER_DAYS
from verksam.web.forms import TenantForm

PAXML_CHOICES = [("", "–"), *((code, code) for code in PAXML_TIME_CODES)]


def _start_day_label(day: int) -> str:
    if day == 1:
        return str(gettext_lazy("1st (calendar month)"))
    return f"{day} ({day}–{day - 1})"


class FactorField(forms.Field):
    """A factor typed as people write it ("1,5", "1.5", "2") and stored in hundredths (150)."""

    default_error_messages = {
        "invalid": gettext_lazy("Write the factor as 1, 1,5 or 2 (at most 10, two decimals)."),
    }

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            whole, rest = divmod(value, 100)
            return f"{whole},{rest:02d}".rstrip("0").rstrip(",")
        return value

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 5})

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value or "").strip().replace(",", ".")
        if not text:
            return 100
        whole, _sep, fraction = text.partition(".")
        if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hundredths = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
        if not 1 <= hundredths <= MAX_BANK_FACTOR:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return hundredths


class TimeCodeForm(TenantForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    paxml_code = forms.ChoiceField(label=gettext_lazy("PAXml code"), choices=PAXML_CHOICES, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of time"), choices=TimeCodeKind.choices, required=False)
    time_bank_effect = forms.ChoiceField(label=gettext_lazy("Time bank"), choices=TimeBankEffect.choices)
    time_bank_factor_pct = FactorField(
        label=gettext_lazy("Time bank factor"),
        required=False,
        help_text=gettext_lazy(
            "Hours into or out of the time bank per reported hour, e.g. 1,5 for komp at 1.5."
        ),
    )
    is_default = forms.BooleanField(label=gettext_lazy("Default for new entries"), required=False)
    sort_order = forms.IntegerField(label=gettext_lazy("Sort order"), min_value=0, max_value=32767, initial=0)

    def clean_kind(self) -> str:
        # A form without the field (an older page) keeps the code's kind, or makes worked time.
        return self.cleaned_data.get("kind") or self.initial.get("kind") or TimeCodeKind.WORKED

    def clean_time_bank_factor_pct(self) -> int:
        value = self.cleaned_data.get("time_bank_factor_pct")
        if value in (None, "") or (
            value == 100 and not self.data.get(self.add_prefix("time_bank_factor_pct"))
        ):
            return self.initial.get("time_bank_factor_pct") or 100
        return value


class TimeCodeEditForm(TimeCodeForm):
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)


class AbsenceTypeForm(TenantForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    paxml_code = forms.ChoiceField(label=gettext_lazy("PAXml code"), choices=PAXML_CHOICES, required=False)
    time_bank_effect = forms.ChoiceField(label=gettext_lazy("Time bank"), choices=TimeBankEffect.choices)
    requires_child = forms.BooleanField(
        label=gettext_lazy("Requires the child's personnummer (VAB)"), required=False
    )
    sort_order = forms.IntegerField(label=gettext_lazy("Sort order"), min_value=0, max_value=32767, initial=0)


class AbsenceTypeEditForm(AbsenceTypeForm):
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)


class ActivityForm(TenantForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    invoiceable = forms.BooleanField(label=gettext_lazy("Invoiceable by default"), required=False)
    sort_order = forms.IntegerField(label=gettext_lazy("Sort order"), min_value=0, max_value=32767, initial=0)


class ActivityEditForm(ActivityForm):
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)


class TimeSettingsForm(TenantForm):
    period_start_day = forms.TypedChoiceField(
        label=gettext_lazy("The deviation period starts on day"),
        coerce=int,
        choices=[(day, _start_day_label(day)) for day in range(1, 29)],
    )
    payroll_system = forms.ChoiceField(label=gettext_lazy("Payroll system"), choices=PayrollSystem.choices)
    reminders_enabled = forms.BooleanField(label=gettext_lazy("Send reminders"), required=False)
    reminder_days_before = forms.IntegerField(
        label=gettext_lazy("Days before the period ends"), min_value=0, max_value=MAX_REMINDER_DAYS
    )
    excess_time_rule = forms.ChoiceField(
        label=gettext_lazy("Time beyond the schedule"), choices=ExcessTimeRule.choices, required=False
    )
    allow_negative_time_bank = forms.BooleanField(
        label=gettext_lazy("Allow komp-ledig beyond the time bank (a negative balance)"), required=False
    )

    def clean_excess_time_rule(self) -> str:
        return self.cleaned_data.get("excess_time_rule") or ExcessTimeRule.FLEX

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Labels are built per request so they follow the active language.
        self.fields["period_start_day"].choices = [  # type: ignore[attr-defined]
            (day, _start_day_label(day)) for day in range(1, 29)
        ]


class PayrollCodesForm(TenantForm):
    """One text field per time code ("time-<id>") and absence type ("absence-<id>")."""

    system = forms.ChoiceField(choices=PayrollSystem.choices, widget=forms.HiddenInput)

    def __init__(self, *args, rows: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.field] = forms.CharField(
                label=row.name,
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": row.placeholder, "size": 8}),
            )

    def bound_rows(self) -> list:
        return [(row, self[row.field]) for row in self.rows]

    def codes(self) -> dict[tuple[str, int], str]:
        return {(row.kind, row.id): self.cleaned_data.get(row.field, "") for row in self.rows}

"""Forms of Inställningar > Tidsinställningar. The rules live in verksam.timecodes.services."""

from django import forms
from django.utils.translation import gettext_lazy

from verksam.timecodes.models import PAXML_TIME_CODES, PayrollSystem, TimeBankEffect
from verksam.timecodes.services import MAX_REMINDER_DAYS
from verksam.web.forms import TenantForm

PAXML_CHOICES = [("", "–"), *((code, code) for code in PAXML_TIME_CODES)]


def _start_day_label(day: int) -> str:
    if day == 1:
        return str(gettext_lazy("1st (calendar month)"))
    return f"{day} ({day}–{day - 1})"


class TimeCodeForm(TenantForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    paxml_code = forms.ChoiceField(label=gettext_lazy("PAXml code"), choices=PAXML_CHOICES, required=False)
    time_bank_effect = forms.ChoiceField(label=gettext_lazy("Time bank"), choices=TimeBankEffect.choices)
    counts_as_worked = forms.BooleanField(label=gettext_lazy("Counts as worked time"), required=False)
    is_default = forms.BooleanField(label=gettext_lazy("Default for new entries"), required=False)
    sort_order = forms.IntegerField(label=gettext_lazy("Sort order"), min_value=0, max_value=32767, initial=0)


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

"""Forms of the time pages: a work entry, an absence entry, hours typed as "7,5" or "7:30"."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from verksam.core.duration import format_minutes, parse_hours
from verksam.projects.selectors import project_reportable_for
from verksam.tenancy.access import Actor
from verksam.timereporting import selectors
from verksam.timereporting.models import TimeEntry
from verksam.web.forms import TenantForm


class HoursField(forms.CharField):
    """Hours as people type them: "7,5", "7.5", "7:30" or "7"; cleaned to integer minutes."""

    default_error_messages = {"invalid": _("Write the time as 7,5 or 7:30.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "7,5", "maxlength": 8}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_minutes(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return parse_hours(text or "")
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


def _textarea() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 2})


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        code = getattr(obj, "number", None) or getattr(obj, "code", "")
        return f"{code} {obj.name}".strip()


class WorkEntryForm(TenantForm):
    """Time on a project: start/end + break, or hours alone."""

    kind = "work"
    project = NamedChoiceField(label=_("Project"), queryset=None)
    activity = NamedChoiceField(label=_("Activity"), queryset=None, required=False)
    time_code = NamedChoiceField(label=_("Time code"), queryset=None, required=False, empty_label=None)
    start_time = forms.TimeField(label=_("Start"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End"), required=False, widget=TimeInput())
    break_minutes = forms.IntegerField(
        label=_("Break (minutes)"),
        required=False,
        min_value=0,
        max_value=1440,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    minutes = HoursField(label=_("Hours"), help_text=_("Or leave empty and give start and end."))
    invoiceable_minutes = HoursField(
        label=_("Invoiceable hours"), help_text=_("Empty: all of the time, when the project is invoiced.")
    )
    comment = forms.CharField(label=_("Comment (shown to the customer)"), required=False, widget=_textarea())
    internal_comment = forms.CharField(label=_("Internal comment"), required=False, widget=_textarea())
    confirm_work = forms.BooleanField(
        label=_("Yes, save it although absence and work make the day longer than my schedule"),
        required=False,
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Querysets set after TenantForm's narrowing: they are already scoped to the tenant.
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = project_reportable_for(actor=actor)
        cast(forms.ModelChoiceField, self.fields["activity"]).queryset = selectors.reportable_activities()
        cast(forms.ModelChoiceField, self.fields["time_code"]).queryset = selectors.reportable_time_codes()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["break_minutes"] = data.get("break_minutes") or 0
        return data


class AbsenceEntryForm(TenantForm):
    """Absence (frånvaro): type, whole or part of the day, and the child for VAB."""

    kind = "absence"
    absence_type = NamedChoiceField(label=_("Type of absence"), queryset=None)
    whole_day = forms.BooleanField(label=_("Whole day"), required=False, initial=True)
    minutes = HoursField(
        label=_("Hours"), help_text=_("For part of a day. A whole day is your normal working day.")
    )
    child_personnummer = forms.CharField(
        label=_("Child's personnummer (VAB)"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "ÅÅÅÅMMDD-NNNN"}),
    )
    child_special_reasons = forms.BooleanField(
        label=_("Special reasons (VAB for a child of 12 or older)"), required=False
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=_textarea())
    confirm_work = forms.BooleanField(
        label=_("Yes, save it although absence and work make the day longer than my schedule"),
        required=False,
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["absence_type"]
        ).queryset = selectors.reportable_absence_types()

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def entry_initial(entry: TimeEntry) -> dict[str, Any]:
    return {
        "project": entry.project_id,
        "activity": entry.activity_id,
        "time_code": entry.time_code_id,
        "absence_type": entry.absence_type_id,
        "start_time": entry.start_time,
        "end_time": entry.end_time,
        "break_minutes": entry.break_minutes or None,
        "minutes": None if entry.start_time else entry.minutes,
        "invoiceable_minutes": entry.invoiceable_minutes,
        "whole_day": entry.whole_day,
        "child_personnummer": entry.child_personnummer,
        "child_special_reasons": entry.child_special_reasons,
        "comment": entry.comment,
        "internal_comment": entry.internal_comment,
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AbsenceRangeForm(TenantForm):
    """Absence over a date range as one registration ("Semester 6–17 juli", "50 % föräldraledig")."""

    absence_type = NamedChoiceField(label=_("Type of absence"), queryset=None)
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())
    percent = forms.IntegerField(
        label=_("Extent (%)"),
        min_value=1,
        max_value=100,
        initial=100,
        help_text=_("100 % is whole days; 50 % is half of each day's scheduled time."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    child_personnummer = forms.CharField(
        label=_("Child's personnummer (VAB)"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "ÅÅÅÅMMDD-NNNN"}),
    )
    child_special_reasons = forms.BooleanField(
        label=_("Special reasons (VAB for a child of 12 or older)"), required=False
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=_textarea())
    confirm_work = forms.BooleanField(
        label=_("Yes, register the absence although I have reported work on those days"), required=False
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["absence_type"]
        ).queryset = selectors.reportable_absence_types()

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def absence_range_initial(absence_range: Any) -> dict[str, Any]:
    return {
        "absence_type": absence_range.absence_type_id,
        "start_date": absence_range.start_date,
        "end_date": absence_range.end_date,
        "percent": absence_range.percent,
        "child_personnummer": absence_range.child_personnummer,
        "child_special_reasons": absence_range.child_special_reasons,
        "comment": absence_range.comment,
    }

"""Forms of work schedules: hours per weekday typed as a Swede types them ("8", "6,5", "7:30")."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.core.duration import parse_hours, typed_hours
from verksam.schedules.models import WEEKDAY_FIELDS, ScheduleTemplate
from verksam.tenancy.models import Membership
from verksam.web.forms import TenantForm

WEEKDAY_LABELS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


class HoursField(forms.CharField):
    """A weekday's hours ("8", "6,5", "7:30"; empty = a day off), cleaned to minutes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 4, "maxlength": 6})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int:  # type: ignore[override]
        text = super().to_python(value) or ""
        try:
            return parse_hours(text) or 0
        except ValueError as exc:
            raise ValidationError(_("Type the hours like 8, 6,5 or 7:30."), code="invalid_hours") from exc


class WeekdayHoursForm(TenantForm):
    """The seven weekdays and the part-time percentage."""

    percent = forms.IntegerField(
        label=gettext_lazy("Part-time percentage"),
        min_value=1,
        max_value=100,
        initial=100,
        help_text=gettext_lazy("100 = full time; time beyond the schedule up to full time is mertid."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in zip(WEEKDAY_FIELDS, WEEKDAY_LABELS, strict=True):
            self.fields[name] = HoursField(label=label)

    @property
    def weekday_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in WEEKDAY_FIELDS]

    def weekday_minutes(self) -> tuple[int, ...]:
        return tuple(self.cleaned_data.get(name) or 0 for name in WEEKDAY_FIELDS)


def weekday_initial(source: Any) -> dict[str, Any]:
    """Initial values of a WeekdayHoursForm from a template or schedule row."""
    data: dict[str, Any] = {
        name: typed_hours(getattr(source, name)) if getattr(source, name) else "" for name in WEEKDAY_FIELDS
    }
    return data | {"percent": source.percent}


class ScheduleTemplateForm(WeekdayHoursForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    is_default = forms.BooleanField(
        label=gettext_lazy("Default for new users"),
        required=False,
        help_text=gettext_lazy("A user who joins the company gets this schedule from the day they join."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    field_order = ["name", *WEEKDAY_FIELDS, "percent", "is_default", "is_active"]


class WorkScheduleForm(WeekdayHoursForm):
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    template: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Template"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("– type the hours below –"),
        help_text=gettext_lazy("A template fills in the hours and the percentage."),
    )
    field_order = ["valid_from", "template", *WEEKDAY_FIELDS, "percent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        template.queryset = ScheduleTemplate.objects.filter(is_active=True)  # type: ignore[attr-defined]


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        return obj.user.name or obj.user.email


class ScheduleAssignForm(TenantForm):
    template: forms.ModelChoiceField = forms.ModelChoiceField(label=gettext_lazy("Template"), queryset=None)
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    memberships = MemberChoiceField(
        label=gettext_lazy("Users"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one user.")},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ScheduleTemplate.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["memberships"].queryset = members  # type: ignore[attr-defined]

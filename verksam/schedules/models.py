"""Work schedules (arbetstidsschema, DOMAIN.md "Working time"): per employee, dated, the scheduled
minutes of each weekday and the part-time percentage (tjänstgöringsgrad); and the company's
templates ("Heltid mån–fre 8 h", "Deltid 75 %") that are copied onto employees.

A schedule row holds from `valid_from` until the next row of the same employee: a change from a
date is a new row, so the history that flex, missing days and whole-day absence were measured
against stays as it was. Minutes per weekday are the *scheduled* time of that weekday (a 75 %
part-timer on Mon–Fri has 360); röda dagar count 0 whatever the weekday says (selectors.py)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import Membership, TenantOwned

MINUTES_PER_DAY = 24 * 60
WEEKDAY_FIELDS = (
    "monday_minutes",
    "tuesday_minutes",
    "wednesday_minutes",
    "thursday_minutes",
    "friday_minutes",
    "saturday_minutes",
    "sunday_minutes",
)


def _weekday_field(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=0)


def _day_range(prefix: str) -> list[models.CheckConstraint]:
    sum_of_days: Any = F(WEEKDAY_FIELDS[0])
    for name in WEEKDAY_FIELDS[1:]:
        sum_of_days = sum_of_days + F(name)
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__lte": MINUTES_PER_DAY for name in WEEKDAY_FIELDS}),
            name=f"{prefix}_day_at_most_24h",
            violation_error_message=_("A day of the schedule can hold at most 24 hours."),
        ),
        models.CheckConstraint(
            condition=Q(percent__gte=1, percent__lte=100),
            name=f"{prefix}_percent_range",
            violation_error_message=_("The part-time percentage must be from 1 to 100."),
        ),
        models.CheckConstraint(
            condition=Q(week_minutes__gt=0),
            name=f"{prefix}_some_work",
            violation_error_message=_("A schedule needs working time on at least one day."),
        ),
        models.CheckConstraint(
            condition=Q(week_minutes=sum_of_days),
            name=f"{prefix}_week_is_sum",
        ),
    ]


class WeekdayMinutes(models.Model):
    """The scheduled minutes of each weekday, the part-time percentage, and their week sum."""

    monday_minutes = _weekday_field(_("Monday (minutes)"))
    tuesday_minutes = _weekday_field(_("Tuesday (minutes)"))
    wednesday_minutes = _weekday_field(_("Wednesday (minutes)"))
    thursday_minutes = _weekday_field(_("Thursday (minutes)"))
    friday_minutes = _weekday_field(_("Friday (minutes)"))
    saturday_minutes = _weekday_field(_("Saturday (minutes)"))
    sunday_minutes = _weekday_field(_("Sunday (minutes)"))
    # Part-time percentage (tjänstgöringsgrad): 100 = full time. Time worked beyond the schedule up
    # to full time is mertid, beyond it övertid (DOMAIN.md "Working time").
    percent = models.PositiveSmallIntegerField(_("part-time percentage"), default=100)
    # Kept equal to the sum of the weekdays (a check constraint): lets a query refuse a week of 0 h.
    week_minutes = models.PositiveIntegerField(_("minutes per week"), default=0, editable=False)

    class Meta:
        abstract = True

    @property
    def weekday_minutes(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in WEEKDAY_FIELDS)

    def set_weekday_minutes(self, minutes: tuple[int, ...] | list[int]) -> None:
        if len(minutes) != 7:
            raise ValueError("seven weekdays, Monday first")
        for name, value in zip(WEEKDAY_FIELDS, minutes, strict=True):
            setattr(self, name, value)
        self.week_minutes = sum(minutes)

    def clean(self) -> None:
        self.week_minutes = sum(self.weekday_minutes)
        super().clean()


class ScheduleTemplate(TenantOwned, WeekdayMinutes):
    """A company's named schedule that a TOTAL user copies onto many employees at once."""

    name = models.CharField(_("name"), max_length=100)
    # The schedule a new member gets when they join (at most one per company).
    is_default = models.BooleanField(_("default for new users"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            *_day_range("schedules_scheduletemplate"),
            models.UniqueConstraint(
                fields=["tenant", "name"],
                name="schedules_scheduletemplate_name_unique",
                violation_error_message=_("Another schedule template already has that name."),
            ),
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(is_default=True),
                name="schedules_scheduletemplate_one_default",
                violation_error_message=_("Only one schedule template can be the default."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkSchedule(TenantOwned, WeekdayMinutes):
    """An employee's schedule from `valid_from` until their next schedule row."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="work_schedules")
    valid_from = models.DateField(_("valid from"))
    # The template it was copied from, for display only: editing the template later does not change
    # this row (history stays as it was).
    template = models.ForeignKey(
        ScheduleTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["membership", "valid_from"]
        constraints = [
            *_day_range("schedules_workschedule"),
            models.UniqueConstraint(
                fields=["membership", "valid_from"],
                name="schedules_workschedule_one_per_date",
                violation_error_message=_("The employee already has a schedule from that date."),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "membership", "valid_from"], name="schedules_ws_member_from"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} from {self.valid_from}"

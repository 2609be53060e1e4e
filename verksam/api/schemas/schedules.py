import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field, StrictInt

from ..types import Bool, Date, StrictId, StrictIn

DAY = Annotated[StrictInt, Field(ge=0, le=1440)]
WEEKDAYS_DESCRIPTION = "Scheduled minutes of each weekday, Monday first (7 values, 0–1440; 480 = 8 h)"


class WeekdayMinutesOut(Schema):
    weekday_minutes: list[int] = Field(description=WEEKDAYS_DESCRIPTION)
    percent: int = Field(description="Part-time percentage (tjänstgöringsgrad), 100 = full time")
    week_minutes: int


class ScheduleTemplateOut(WeekdayMinutesOut):
    id: int
    name: str
    is_default: bool = Field(description="The schedule a new member gets when they join")
    is_active: bool


class ScheduleTemplateIn(StrictIn):
    name: str = Field(min_length=1, max_length=100)
    weekday_minutes: list[DAY] = Field(min_length=7, max_length=7, description=WEEKDAYS_DESCRIPTION)
    percent: StrictInt = Field(100, ge=1, le=100)
    is_default: Bool = False
    is_active: Bool = True


class ScheduleTemplatePatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=100)
    weekday_minutes: list[DAY] | None = Field(
        None, min_length=7, max_length=7, description=WEEKDAYS_DESCRIPTION
    )
    percent: StrictInt | None = Field(None, ge=1, le=100)
    is_default: Bool | None = None
    is_active: Bool | None = None


class ScheduleAssignIn(StrictIn):
    member_ids: list[StrictId] = Field(min_length=1, max_length=500)
    valid_from: Date


class WorkScheduleOut(WeekdayMinutesOut):
    id: int
    member_id: int
    valid_from: dt.date
    template_id: int | None
    template_name: str


class WorkScheduleIn(StrictIn):
    valid_from: Date
    template_id: StrictId | None = Field(
        None, description="Copy a company template (then weekday_minutes and percent are not given)"
    )
    weekday_minutes: list[DAY] | None = Field(
        None, min_length=7, max_length=7, description=WEEKDAYS_DESCRIPTION
    )
    percent: StrictInt | None = Field(None, ge=1, le=100)


class ScheduleHistoryOut(Schema):
    member_id: int
    current: WorkScheduleOut | None = Field(description="The schedule in force today")
    schedules: list[WorkScheduleOut] = Field(description="Every dated schedule, newest first")

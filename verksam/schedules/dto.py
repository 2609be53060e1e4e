"""What other apps read of a work schedule: frozen values, no queries (DESIGN.md dto.py)."""

import bisect
import datetime as dt
from dataclasses import dataclass

from verksam.core import timeutil

# Without any schedule or template: full time, Monday–Friday 8 h (the fallback of DOMAIN.md).
FULL_TIME_WEEK = (480, 480, 480, 480, 480, 0, 0)


@dataclass(frozen=True)
class Schedule:
    """One schedule: the scheduled minutes of each weekday (Monday first) and the part-time %."""

    valid_from: dt.date | None
    weekday_minutes: tuple[int, ...] = FULL_TIME_WEEK
    percent: int = 100
    template_name: str = ""

    def planned_minutes(self, day: dt.date) -> int:
        """The weekday's minutes, holidays not considered (what the schedule itself says)."""
        return self.weekday_minutes[day.weekday()]

    def minutes_on(self, day: dt.date) -> int:
        """Scheduled minutes of `day`: 0 on a röd dag (DOMAIN.md: whole-day absence there counts 0)."""
        if timeutil.holiday_name(day) is not None:
            return 0
        return self.weekday_minutes[day.weekday()]

    def full_time_minutes_on(self, day: dt.date) -> int:
        """What a full-timer with this schedule's shape works on `day`: the limit between mertid and
        övertid for a part-timer (scheduled minutes × 100 / percent, rounded to whole minutes)."""
        return round(self.minutes_on(day) * 100 / self.percent)

    @property
    def week_minutes(self) -> int:
        return sum(self.weekday_minutes)


DEFAULT_SCHEDULE = Schedule(valid_from=None)


@dataclass(frozen=True)
class ScheduleHistory:
    """One employee's schedules in date order; the first also covers the days before it."""

    schedules: tuple[Schedule, ...]

    def on(self, day: dt.date) -> Schedule:
        """The schedule in force on `day`."""
        if not self.schedules:
            return DEFAULT_SCHEDULE
        starts = [s.valid_from or dt.date.min for s in self.schedules]
        index = bisect.bisect_right(starts, day) - 1
        return self.schedules[max(index, 0)]

    @property
    def first_day(self) -> dt.date | None:
        """The first day of the first schedule: the day the employee started (a member's first
        schedule starts the day they joined); None without a dated schedule."""
        return self.schedules[0].valid_from if self.schedules else None

    def minutes_on(self, day: dt.date) -> int:
        return self.on(day).minutes_on(day)

    def minutes_between(self, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        """`{day: scheduled minutes}` for every day from `start` to `end` inclusive: `minutes_on` of
        each day, with the schedules' starts and the years' röda dagar looked up once for the range
        rather than per day (the approver's queue asks this for every employee and every day)."""
        if end < start:
            return {}
        schedules = self.schedules or (DEFAULT_SCHEDULE,)
        starts = [s.valid_from or dt.date.min for s in schedules]
        off: set[dt.date] = set()
        for year in range(start.year, end.year + 1):
            off.update(timeutil.swedish_holidays(year))
        result: dict[dt.date, int] = {}
        day, one = start, dt.timedelta(days=1)
        while day <= end:
            if day in off:
                result[day] = 0
            else:
                schedule = (
                    schedules[max(bisect.bisect_right(starts, day) - 1, 0)]
                    if len(starts) > 1
                    else schedules[0]
                )
                result[day] = schedule.weekday_minutes[day.weekday()]
            day += one
        return result

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The days from `start` to `end` with scheduled time (not a day off, weekend or röd dag)."""
        return [day for day, minutes in self.minutes_between(start, end).items() if minutes > 0]

"""core.db.DayMinutes on the time tables, on SQLite and PostgreSQL alike: one text per group holds the
same days (as indexes from a start day) and minutes as reading one row per entry; an empty group gives
nothing; another tenant's rows never show (the scoped manager and, on PostgreSQL, row-level security)."""

import datetime as dt
from collections import Counter

from django.db.models import Sum

from verksam.core.db import DayMinutes, day_minutes
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.timereporting.models import TimeEntry

from .factories import TimeEntryFactory

START = dt.date(2026, 10, 1)
# the start itself, across the end of summer time, a year's end, and 92 days on
DAYS = [START, dt.date(2026, 10, 25), dt.date(2026, 10, 26), dt.date(2026, 12, 31), dt.date(2027, 1, 1)]


def test_day_minutes_hold_every_entrys_day_and_minutes(tenant, other_tenant):
    # given two employees with entries on days across a DST change and a year end, two on one day,
    # a whole day's 1,440 minutes, and an employee of another tenant on the same days
    with tenant_scope(tenant.pk):
        a, b = (MembershipFactory(tenant=tenant, licence=Licence.LIGHT) for _ in range(2))
    for i, day in enumerate(DAYS):
        TimeEntryFactory(membership=a, date=day, minutes=60 + i)
    TimeEntryFactory(membership=a, date=DAYS[0], minutes=15)
    TimeEntryFactory(membership=b, date=DAYS[3], minutes=1440)
    with tenant_scope(other_tenant.pk):
        foreign = MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)
    TimeEntryFactory(membership=foreign, date=DAYS[0], minutes=99)
    # when the entries are read per employee, their days and minutes as one text
    with tenant_scope(tenant.pk):
        grouped = list(
            TimeEntry.objects.order_by()
            .values("membership_id")
            .annotate(total=Sum("minutes"), days=DayMinutes("date", "minutes", START))
            .values_list("membership_id", "total", "days")
        )
        rows = list(TimeEntry.objects.values_list("membership_id", "date", "minutes"))
        none = list(
            TimeEntry.objects.filter(minutes=0)
            .values("membership_id")
            .annotate(days=DayMinutes("date", "minutes", START))
        )
    # then each text holds the same (day, minutes) as the rows, and no one else's
    read = Counter()
    for pk, total, text in grouped:
        items = day_minutes(text)
        assert total == sum(minutes for _index, minutes in items)
        read.update((pk, START + dt.timedelta(days=index), minutes) for index, minutes in items)
    assert read == Counter(rows) and {pk for pk, _t, _d in grouped} == {a.pk, b.pk}
    assert sorted(index for _pk, _t, text in grouped for index, _m in day_minutes(text)) == [
        0, 0, 24, 25, 91, 91, 92,
    ]  # fmt: skip
    assert none == [] and day_minutes(None) == [] and day_minutes("") == []

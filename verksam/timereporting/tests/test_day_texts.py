"""core.db.DayTexts on the time tables, on SQLite and PostgreSQL alike: one text per group holds the
same days (and minutes) as reading one row per entry; an empty group gives nothing; another
tenant's rows never show (the scoped manager and, on PostgreSQL, row-level security)."""

import datetime as dt
from collections import Counter

from django.db.models import Sum

from verksam.core.db import DayTexts, day_keys, day_texts
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.timereporting.models import DayLock, TimeEntry

from .factories import DayLockFactory, TimeEntryFactory

DAYS = [dt.date(2026, 10, 1), dt.date(2026, 10, 25), dt.date(2026, 12, 31), dt.date(2027, 1, 1)]


def test_day_texts_hold_every_entrys_day_and_minutes(tenant, other_tenant):
    # given two employees with entries on days across a DST change and a year end, two on one day,
    # and an employee of another tenant on the same days
    with tenant_scope(tenant.pk):
        a, b = (MembershipFactory(tenant=tenant, licence=Licence.LIGHT) for _ in range(2))
    for i, day in enumerate(DAYS):
        TimeEntryFactory(membership=a, date=day, minutes=60 + i)
    TimeEntryFactory(membership=a, date=DAYS[0], minutes=15)
    TimeEntryFactory(membership=b, date=DAYS[2], minutes=1440)
    with tenant_scope(other_tenant.pk):
        foreign = MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)
    TimeEntryFactory(membership=foreign, date=DAYS[0], minutes=99)
    DayLockFactory(membership=a, date=DAYS[1])
    DayLockFactory(membership=a, date=DAYS[3])
    # when the entries are read per employee, their days and minutes as one text
    with tenant_scope(tenant.pk):
        grouped = list(
            TimeEntry.objects.order_by()
            .values("membership_id")
            .annotate(total=Sum("minutes"), days=DayTexts("date", "minutes"))
            .values_list("membership_id", "total", "days")
        )
        rows = list(TimeEntry.objects.values_list("membership_id", "date", "minutes"))
        locks = list(
            DayLock.objects.order_by()
            .values("membership_id")
            .annotate(days=DayTexts("date"))
            .values_list("membership_id", "days")
        )
        none = list(
            TimeEntry.objects.filter(minutes=0).values("membership_id").annotate(days=DayTexts("date"))
        )
    # then each text holds the same (day, minutes) as the rows, and no one else's
    on_day = day_keys(DAYS)  # each key is ten characters, as the queue slices them
    assert all(len(key) == 10 for key in on_day)
    read = Counter()
    for pk, total, text in grouped:
        items = [(item[:10], item[11:]) for item in day_texts(text)]
        assert total == sum(int(minutes) for _key, minutes in items)
        read.update((pk, on_day[key], int(minutes)) for key, minutes in items)
    assert read == Counter(rows) and {pk for pk, _t, _d in grouped} == {a.pk, b.pk}
    assert [(pk, sorted(on_day[key] for key in day_texts(text))) for pk, text in locks] == [
        (a.pk, [DAYS[1], DAYS[3]])
    ]
    assert none == [] and day_texts(None) == [] and day_texts("") == []

"""`core.db.insert_rows`, which writes the batch's entries and audit rows (issue 13): the same column
values as the ORM's own INSERT, on SQLite and PostgreSQL."""

import datetime as dt
import uuid
import warnings
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.core.db import _column_converter, insert_rows, insert_values_sql, new_instance
from verksam.tenancy.scope import tenant_scope
from verksam.timereporting.models import EntryKind, TimeEntry

from .conftest import MONDAY, membership_of


def _entry(tenant, member, codes, projects, **extra):
    values = {
        "tenant_id": tenant.pk,
        "membership": member,
        "client_uuid": uuid.uuid4(),
        "client_fingerprint": "f" * 64,
        "date": MONDAY,
        "kind": EntryKind.WORK,
        "project": projects.site,
        "time_code": codes.normal,
        "start_time": dt.time(8, 15),
        "end_time": dt.time(17, 0, 30, 250),
        "break_minutes": 45,
        "minutes": 480,
        "invoiceable_minutes": 470,
        "comment": "Takstolar, 2:a våningen",
        "created_at": dt.datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Stockholm")),
    }
    return TimeEntry(**{**values, **extra})


def test_each_column_converter_gives_what_the_field_gives(tenant, employee, codes, projects):
    member = membership_of(tenant, employee)
    rows = [
        _entry(tenant, member, codes, projects),
        _entry(tenant, member, codes, projects, start_time=None, end_time=None, whole_day=True),
        AuditEvent(tenant_id=tenant.pk, user=employee, action="x", target_id="7", data={"a": [1, "å"]}),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the naive datetime below, as the field warns
        for obj in rows:
            for field in type(obj)._meta.concrete_fields:
                if field.get_internal_type() in {"AutoField", "BigAutoField", "JSONField"}:
                    continue
                values = [getattr(obj, field.attname), None]
                if field.get_internal_type() == "DateTimeField":
                    values.append(dt.datetime(2026, 10, 25, 2, 30))  # noqa: DTZ001 (naive, in the DST change)
                    values.append(timezone.now())
                for value in values:
                    fast = _column_converter(field, connection)([value])[0]
                    assert fast == field.get_db_prep_save(value, connection), (field, value)


def test_insert_values_sql_gives_what_the_fields_give(tenant, employee, codes, projects):
    """audit.save_and_record's values: a plain value of a plain column as it is, anything else through
    the field's get_db_prep_save, the same values either way."""
    member = membership_of(tenant, employee)
    rows = [
        _entry(tenant, member, codes, projects),
        _entry(tenant, member, codes, projects, start_time=None, end_time=None, whole_day=True),
        _entry(tenant, member, codes, projects, kind=EntryKind.WORK, break_minutes=None),
        AuditEvent(tenant_id=tenant.pk, user=employee, action="x", target_id="7", data={"a": [1, "å"]}),
    ]
    for obj in rows:
        fields = [
            f
            for f in type(obj)._meta.local_concrete_fields
            if not f.generated and f is not obj._meta.auto_field
        ]
        expected = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        _columns, _placeholders, values = insert_values_sql(obj, connection)
        for field, mine, theirs in zip(fields, values, expected, strict=True):
            if field.get_internal_type() in {"JSONField", "DateTimeField"}:
                continue  # an adapter object each time / auto_now's own clock
            assert mine == theirs and type(mine) is type(theirs), (field, mine, theirs)


def test_insert_rows_stores_what_bulk_create_stores(tenant, employee, codes, projects):
    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        ours = [_entry(tenant, member, codes, projects, date=MONDAY + dt.timedelta(days=i)) for i in range(3)]
        ours.append(_entry(tenant, member, codes, projects, created_at=dt.datetime(2026, 10, 25, 2, 30)))  # noqa: DTZ001
        theirs = [_entry(tenant, member, codes, projects, client_uuid=uuid.uuid4()) for _ in ours]
        for mine, other in zip(ours, theirs, strict=True):
            for name in ("date", "created_at", "updated_at"):
                setattr(other, name, getattr(mine, name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            insert_rows(ours)
            TimeEntry.objects.bulk_create(theirs)
        assert all(e.pk and not e._state.adding for e in ours)
        ignore = {"id", "client_uuid"}
        for mine, other in zip(ours, theirs, strict=True):
            stored = TimeEntry.objects.filter(pk=mine.pk).values().get()
            expected = TimeEntry.objects.filter(pk=other.pk).values().get()
            assert stored["client_uuid"] == mine.client_uuid
            assert {k: v for k, v in stored.items() if k not in ignore} == {
                k: v for k, v in expected.items() if k not in ignore
            }


def test_new_instance_builds_what_the_model_s_constructor_builds(tenant, employee, codes, projects):
    member = membership_of(tenant, employee)
    values = {
        "tenant_id": tenant.pk,
        "membership": member,
        "date": MONDAY,
        "project": projects.site,
        "activity": None,
        "time_code": codes.normal,
        "minutes": 60,
        "created_by": employee,
    }
    ours, theirs = new_instance(TimeEntry, values), TimeEntry(**values)
    for field in TimeEntry._meta.concrete_fields:
        if field.name in {"client_uuid", "created_at", "updated_at"}:  # defaults of their own
            assert type(getattr(ours, field.attname)) is type(getattr(theirs, field.attname))
            continue
        assert getattr(ours, field.attname) == getattr(theirs, field.attname), field
    assert ours._state.adding and ours.pk is None
    assert ours.project is projects.site and ours.membership is member and ours.activity is None
    with pytest.raises(TypeError):
        new_instance(TimeEntry, {**values, "nonsense": 1})


def test_insert_rows_keeps_any_text_and_json_as_given(tenant, employee, codes, projects):
    # PostgreSQL reads the varying columns from array literals: quotes, backslashes, braces, commas,
    # the word NULL, empty text and None must come back as they went in; constant columns are one value
    member = membership_of(tenant, employee)
    texts = ['a "quoted" {brace}, comma', "back\\slash\\", "NULL", "", "rad 1\nrad 2\t'apostrof' å"]
    with tenant_scope(tenant.pk):
        entries = [
            _entry(tenant, member, codes, projects, comment=text, start_time=None, end_time=None)
            for text in texts
        ]
        entries[1].start_time, entries[1].end_time, entries[1].break_minutes = dt.time(8), dt.time(9), 0
        insert_rows(entries)
        stored = {e.pk: e for e in TimeEntry.objects.filter(pk__in=[e.pk for e in entries])}
        for entry in entries:
            got = stored[entry.pk]
            assert (got.comment, got.start_time, got.end_time, got.client_uuid) == (
                entry.comment,
                entry.start_time,
                entry.end_time,
                entry.client_uuid,
            )
        events = [
            AuditEvent(tenant_id=tenant.pk, user=employee, action="x", target_id=f"{i}", data={"t": t})
            for i, t in enumerate(texts)
        ]
        events.append(AuditEvent(tenant_id=tenant.pk, user=None, action="x", target_id="9", data={}))
        insert_rows(events)
        back = dict(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("pk", "data"))
        assert [back[e.pk] for e in events] == [e.data for e in events]
        one = [_entry(tenant, member, codes, projects)]  # a single row: every column the same
        insert_rows(one)
        assert TimeEntry.objects.filter(pk=one[0].pk, client_uuid=one[0].client_uuid).exists()

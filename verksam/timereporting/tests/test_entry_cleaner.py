"""`services.EntryCleaner`: `full_clean` with each field's check memoised (issue 13). Every create goes
through one (the batch's own, or the process's `_CREATE_CLEANER`), so it must refuse exactly what the
model's `full_clean` refuses, and the process's memo must stay bounded."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from verksam.timereporting import services
from verksam.timereporting.models import EntryKind, TimeEntry
from verksam.timereporting.services import _CREATE_CLEANER, RESOLVED_REFERENCES, EntryCleaner

from .conftest import membership_of


@pytest.fixture
def member(tenant, employee):
    return membership_of(tenant, employee)


def _entry(member, **extra) -> TimeEntry:
    values = {
        "tenant_id": member.tenant_id,
        "membership": member,
        "client_uuid": uuid.uuid4(),
        "client_fingerprint": "f" * 64,
        "date": dt.date(2026, 11, 2),
        "kind": EntryKind.WORK,
        "minutes": 480,
        "invoiceable_minutes": 0,
        "comment": "Takstolar",
    }
    return TimeEntry(**{**values, **extra})


def _errors(clean, entry) -> dict | None:
    try:
        clean(entry)
    except ValidationError as exc:
        return exc.message_dict
    return None


pytestmark = pytest.mark.django_db  # the unique checks read the table

BAD = [
    {"kind": "holiday"},
    {"child_personnummer": "1" * 14},
    {"client_fingerprint": "f" * 65},
    {"minutes": -5},
]


@pytest.mark.parametrize("bad", BAD, ids=[next(iter(b)) for b in BAD])
def test_the_cleaner_refuses_what_full_clean_refuses(bad, member):
    def model_clean(entry):
        entry.full_clean(exclude=RESOLVED_REFERENCES, validate_constraints=False)

    cleaner = EntryCleaner()
    expected = _errors(model_clean, _entry(member, **bad))
    assert expected, "the model refuses it"
    assert _errors(cleaner.full_clean, _entry(member, **bad)) == expected
    assert _errors(cleaner.full_clean, _entry(member, **bad)) == expected, "the second time from the memo"
    assert _errors(cleaner.full_clean, _entry(member)) is None


def test_the_memo_is_bounded_and_still_right_after_it_starts_afresh(member):
    cleaner = EntryCleaner(memo_limit=10)
    for _ in range(50):  # a new client_uuid and comment each time: the memo would grow without a bound
        assert _errors(cleaner.full_clean, _entry(member, comment=str(uuid.uuid4()))) is None
        assert len(cleaner.memo) <= 10
    assert "kind" in _errors(cleaner.full_clean, _entry(member, kind="holiday"))


def test_the_single_create_checks_through_the_processs_bounded_cleaner(emp_actor, codes, projects, scope):
    assert _CREATE_CLEANER.memo_limit is not None
    _CREATE_CLEANER.memo.clear()
    day = dt.date(2026, 11, 3)
    entry = services.time_entry_create(
        actor=emp_actor, date=day, project=projects.site, time_code=codes.normal, minutes=60
    )
    assert entry.pk and ("date", dt.date, day) in _CREATE_CLEANER.memo

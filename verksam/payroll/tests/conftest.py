import dataclasses
import datetime as dt

import pytest
from django.utils import translation
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from verksam.payroll.exports import basis as export_basis
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope

from . import builders


class XmlSnapshot(SingleFileSnapshotExtension):
    """Snapshots as the files themselves (`__snapshots__/<test>/<name>.xml`), so a reviewer reads the
    generated PAXml or TLU file and a change shows as a plain diff."""

    file_extension = "xml"


@pytest.fixture
def xml_snapshot(snapshot):
    return snapshot.use_extension(XmlSnapshot)


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


# --- the export history's tests (test_exports.py, test_export_pages.py) ------------------------------
PERIOD = "2027-01"  # with periods starting on the 16th: 16 Dec 2026 – 15 Jan 2027 (the builders' basis)


@pytest.fixture
def sixteenth(tenant):
    from verksam.timecodes.models import TimeSettings

    with tenant_scope(tenant.pk):
        row = TimeSettings.objects.filter().first() or TimeSettings(tenant=tenant)
        row.period_start_day = 16
        row.save()


@pytest.fixture
def current(monkeypatch):
    """The basis the task reads: the builders' one, until a test changes it."""
    state = {"basis": builders.basis(), "missing": []}

    def fake(*, tenant, period_key, member_ids, target):
        return state["basis"], state["missing"]

    monkeypatch.setattr(export_basis, "basis_and_missing", fake)
    return state


@pytest.fixture
def member_ids(tenant, employee, owner):
    with tenant_scope(tenant.pk):
        return sorted(Membership.objects.filter(user__in=[employee, owner]).values_list("pk", flat=True))


@pytest.fixture
def missing_row():
    @dataclasses.dataclass(frozen=True)
    class Missing:
        member_id: int
        name: str
        employment_number: str
        date: dt.date
        status: str
        link: str = ""

    return Missing

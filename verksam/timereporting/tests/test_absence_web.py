"""The absence pages: register a range as one registration, the confirm step when work is reported
on its days, change and delete it as one, errors re-rendered in Swedish with 422 writing nothing,
and the DESIGN.md trio (other tenant → 404, permission matrix, constant query count)."""

import datetime as dt

import pytest
from django.urls import reverse

from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, sv
from verksam.timereporting.models import AbsenceRange, TimeEntry
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import membership_of


def _state(tenant):
    with tenant_scope(tenant.pk):
        return {
            "ranges": list(AbsenceRange.objects.order_by("pk").values()),
            "entries": list(TimeEntry.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _form(codes, **kwargs):
    data = {
        "absence_type": codes.sick.pk,
        "start_date": "2026-07-06",
        "end_date": "2026-07-17",
        "percent": "100",
    }
    data.update(kwargs)
    return data


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def _range(tenant, user, codes, start=dt.date(2026, 7, 6), days=11):
    with tenant_scope(tenant.pk):
        absence_range = AbsenceRange.objects.create(
            tenant=tenant, membership=membership_of(tenant, user), absence_type=codes.sick, start_date=start,
            end_date=start + dt.timedelta(days=days),
        )  # fmt: skip
    return absence_range


def test_register_a_range_see_it_as_one_change_and_delete_it(tenant, employee, codes):
    client = login_client(employee)
    response = client.get(_url("time_absence", tenant) + "?start=2026-07-06")
    assert response.status_code == 200
    assert response.context["form"].initial["start_date"] == dt.date(2026, 7, 6)
    response = client.post(_url("time_absence", tenant), _form(codes, comment="Sommar"))
    assert response.status_code == 302
    page = client.get(_url("time_absence", tenant))
    [row] = page.context["ranges"]
    assert (row.day_count, row.total_text, row.comment) == (10, "80:00", "Sommar")
    assert page.content.decode().count('data-testid="absence-range"') == 1
    # a day of the range links to the range, and its single edit page leads there too
    day = client.get(_url("time_day", tenant, "2026-07-07")).content.decode()
    assert _url("time_absence_edit", tenant, row.pk) in day
    with tenant_scope(tenant.pk):
        entry = TimeEntry.objects.filter(absence_range=row).first()
    assert client.get(_url("time_entry_edit", tenant, entry.pk)).url == _url(
        "time_absence_edit", tenant, row.pk
    )
    edit = client.get(_url("time_absence_edit", tenant, row.pk))
    assert edit.status_code == 200 and len(edit.context["days"]) == 10
    response = client.post(
        _url("time_absence_edit", tenant, row.pk), _form(codes, percent="50", end_date="2026-07-10")
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert set(TimeEntry.objects.values_list("minutes", flat=True)) == {240}
        assert TimeEntry.objects.count() == 5
    assert client.post(_url("time_absence_delete", tenant, row.pk)).status_code == 302
    assert _state(tenant)["entries"] == [] and _state(tenant)["ranges"] == []


def test_work_on_a_day_asks_to_confirm(tenant, employee, codes, projects):
    TimeEntryFactory(
        membership=membership_of(tenant, employee), date=dt.date(2026, 7, 8), project=projects.site,
        time_code=codes.normal, minutes=60,
    )  # fmt: skip
    client = login_client(employee)
    before = _state(tenant)
    response = client.post(_url("time_absence", tenant), _form(codes), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="confirm-work"' in html and "2026-07-08" in html
    assert _state(tenant) == before
    response = client.post(_url("time_absence", tenant), _form(codes, confirm_work="on"))
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert AbsenceRange.objects.count() == 1


def test_bad_input_re_renders_in_swedish_with_422_and_writes_nothing(tenant, employee, codes):
    client = login_client(employee)
    _range(tenant, employee, codes, start=dt.date(2026, 8, 3), days=4)
    before = _state(tenant)
    response = client.post(
        _url("time_absence", tenant),
        _form(codes, start_date="2026-08-07", end_date="2026-08-10"),
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 422
    template = sv("The dates overlap your absence “%(absence)s” %(start)s–%(end)s. Change that one instead.")
    assert template.split("%(absence)s")[0] in response.content.decode()
    response = client.post(
        _url("time_absence", tenant), _form(codes, absence_type=codes.vab.pk), HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert response.status_code == 422
    assert sv("%(absence)s needs the child's personnummer.") % {"absence": "VAB"} in response.content.decode()
    assert _state(tenant) == before


# --- other tenant → 404, forged ids → 404 ------------------------------------------------------------


def test_stranger_and_colleagues_get_404(tenant, everyone, owner, employee, stranger, codes):
    mine = _range(tenant, employee, codes)
    before = _state(tenant)
    stranger_client = login_client(stranger)
    assert stranger_client.get(_url("time_absence", tenant)).status_code == 404
    assert stranger_client.post(_url("time_absence", tenant), _form(codes)).status_code == 404
    for client in (stranger_client, login_client(owner)):
        assert client.get(_url("time_absence_edit", tenant, mine.pk)).status_code == 404
        assert client.post(_url("time_absence_edit", tenant, mine.pk), _form(codes)).status_code == 404
        assert client.post(_url("time_absence_delete", tenant, mine.pk)).status_code == 404
    assert _state(tenant) == before


# --- permission matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["owner", "attestant", "employee", "basic", "partner_full", "partner_limited"]
)
def test_permission_matrix(request, tenant, everyone, codes, role):
    if role == "basic":
        user = MembershipFactory(tenant=tenant, licence=Licence.BASIC).user
    else:
        user = request.getfixturevalue(role)
    allowed = not role.startswith("partner")
    client = login_client(user)
    before = _state(tenant)
    assert client.get(_url("time_absence", tenant)).status_code == (200 if allowed else 403)
    response = client.post(_url("time_absence", tenant), _form(codes))
    assert response.status_code == (302 if allowed else 403)
    if not allowed:
        assert client.get(_url("time_absence_edit", tenant, 1)).status_code == 403
        assert client.post(_url("time_absence_delete", tenant, 1)).status_code == 403
        assert _state(tenant) == before


# --- constant query count --------------------------------------------------------------------------------


def test_query_count_is_constant(tenant, employee, codes):
    client = login_client(employee)
    path = _url("time_absence", tenant)
    for i in range(2):
        _range(tenant, employee, codes, start=dt.date(2026, 1, 5) + dt.timedelta(weeks=i), days=4)
    client.get(path)
    few, response = count_queries(lambda: client.get(path))
    assert len(response.context["ranges"]) == 2
    for i in range(2, 30):
        _range(tenant, employee, codes, start=dt.date(2026, 1, 5) + dt.timedelta(weeks=i), days=4)
    many, response = count_queries(lambda: client.get(path))
    assert len(response.context["ranges"]) == 30
    assert few == many


def test_day_view_asks_to_confirm_work_on_a_day_of_absence(tenant, employee, codes, projects):
    day = "2026-07-07"
    client = login_client(employee)
    client.post(
        _url("time_day", tenant, day),
        {"kind": "absence", "absence-absence_type": codes.sick.pk, "absence-whole_day": "on"},
    )
    work = {
        "kind": "work",
        "work-project": projects.site.pk,
        "work-time_code": codes.normal.pk,
        "work-minutes": "1",
    }
    before = _state(tenant)
    response = client.post(_url("time_day", tenant, day), work)
    assert response.status_code == 422 and 'data-testid="confirm-work"' in response.content.decode()
    assert _state(tenant) == before
    assert client.post(_url("time_day", tenant, day), {**work, "work-confirm_work": "on"}).status_code == 302
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 2


def test_a_range_on_an_employees_behalf_page(tenant, everyone, owner, employee, codes):
    member = membership_of(tenant, employee)
    url = _url("time_behalf", tenant, member.pk) + "?day=2026-07-06"
    data = {"kind": "range", **{f"range-{k}": v for k, v in _form(codes).items()}}
    before = _state(tenant)
    colleague = MembershipFactory(tenant=tenant, licence=Licence.BASIC).user
    assert login_client(colleague).post(url, data).status_code == 403
    assert _state(tenant) == before
    client = login_client(owner)
    page = client.get(url)
    assert page.context["range_form"].initial["start_date"] == dt.date(2026, 7, 6)
    assert client.post(url, data).status_code == 302
    with tenant_scope(tenant.pk):
        [absence_range] = AbsenceRange.objects.all()
        assert absence_range.membership_id == member.pk and absence_range.entries.count() == 10
    # its days show as part of the range, not as single entries to edit
    html = client.get(url).content.decode()
    assert 'data-testid="range-entry"' in html and 'data-testid="edit-entry"' not in html
    # bad input re-renders with 422 and writes nothing
    before = _state(tenant)
    assert client.post(url, data).status_code == 422
    assert _state(tenant) == before

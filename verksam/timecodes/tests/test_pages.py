"""Inställningar > Tidsinställningar: the page and its forms, errors with 422, the current deviation
period, and the DESIGN.md trio (other tenant -> 404, authorization matrix, constant query count)."""

import datetime as dt

import pytest
from django.urls import reverse

from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, sv
from verksam.timecodes import services
from verksam.timecodes.models import AbsenceType, Activity, PayrollCode, TimeCode, TimeSettings

from .conftest import ROLES, WRITERS, actor_for, tc_state
from .factories import AbsenceTypeFactory, ActivityFactory, TimeCodeFactory


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _time_code_post(**changes):
    data = {"tc-code": "OT3", "tc-name": "Övertid 3", "tc-paxml_code": "ÖT3", "tc-time_bank_effect": "none"}
    data.update({"tc-counts_as_worked": "on", "tc-sort_order": "5"})
    data.update(changes)
    return data


@pytest.fixture
def objects(tenant):
    """One of each object, to build every page's URL."""
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        return {
            "time_code": TimeCode.objects.get(code="OT50"),
            "absence_type": AbsenceType.objects.get(code="SJK"),
            "activity": Activity.objects.get(code="ARB"),
        }


def _calls(tenant, objects):
    """(method, url, data) for every page of the module."""
    tc, ab, ac = objects["time_code"], objects["absence_type"], objects["activity"]
    return [
        ("get", _url("timecodes_settings", tenant), None),
        ("post", _url("timecodes_time_code_create", tenant), _time_code_post()),
        ("get", _url("timecodes_time_code_edit", tenant, tc.pk), None),
        (
            "post",
            _url("timecodes_time_code_edit", tenant, tc.pk),
            {
                "code": "OT50",
                "name": "Ändrad",
                "time_bank_effect": "add",
                "sort_order": "1",
                "is_active": "on",
            },
        ),
        (
            "post",
            _url("timecodes_absence_type_create", tenant),
            {"ab-code": "SMB", "ab-name": "Smitta", "ab-time_bank_effect": "none", "ab-sort_order": "0"},
        ),
        ("get", _url("timecodes_absence_type_edit", tenant, ab.pk), None),
        (
            "post",
            _url("timecodes_absence_type_edit", tenant, ab.pk),
            {"code": "SJK", "name": "Ändrad", "time_bank_effect": "none", "sort_order": "1"},
        ),
        (
            "post",
            _url("timecodes_activity_create", tenant),
            {"ac-code": "EL", "ac-name": "El", "ac-sort_order": "0"},
        ),
        ("get", _url("timecodes_activity_edit", tenant, ac.pk), None),
        (
            "post",
            _url("timecodes_activity_edit", tenant, ac.pk),
            {"code": "ARB", "name": "Ändrad", "sort_order": "1"},
        ),
        ("post", _url("timecodes_payroll_codes", tenant), {"system": "visma", f"time-{tc.pk}": "310"}),
        (
            "post",
            _url("timecodes_time_settings", tenant),
            {"ps-period_start_day": "16", "ps-payroll_system": "visma", "ps-reminder_days_before": "2"},
        ),
    ]


# --- the page --------------------------------------------------------------------------------------------


def test_owner_sees_every_section_and_the_defaults(tenant, owner, time_machine):
    # given a tenant with start day 16 on 1 December 2026
    time_machine.move_to(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
    with tenant_scope(tenant.pk):
        services.time_settings_update(actor=actor_for(owner, tenant), period_start_day=16)
    # when the owner opens the page in Swedish
    client = login_client(owner)
    client.cookies["django_language"] = "sv"
    response = client.get(_url("timecodes_settings", tenant), HTTP_ACCEPT_LANGUAGE="sv")
    html = response.content.decode()
    # then the sections, the defaults and the current deviation period are shown
    assert response.status_code == 200
    for section in ("tidkoder", "franvarotyper", "aktiviteter", "lonekoder", "avvikelseperiod"):
        assert f'id="{section}"' in html
    assert "Normaltid" in html and "Komp-ledig" in html and "Administration" in html
    assert '<span data-testid="period-label">16 nov – 15 dec 2026</span>' in html
    assert sv("Time settings") in html


def test_page_never_installs_the_defaults(tenant, owner):
    # reads never write (issue 7 item 13): a company gets its defaults when it is created
    before = tc_state(tenant)
    response = login_client(owner).get(_url("timecodes_settings", tenant))
    assert response.status_code == 200
    assert tc_state(tenant) == before


def test_create_time_code_and_redirect(tenant, owner):
    response = login_client(owner).post(_url("timecodes_time_code_create", tenant), _time_code_post())
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        code = TimeCode.objects.get(code="OT3")
    assert (code.paxml_code, code.counts_as_worked, code.sort_order) == ("ÖT3", True, 5)


def test_duplicate_code_rerenders_the_page_with_422_and_writes_nothing(tenant, owner, objects):
    before = tc_state(tenant)
    response = login_client(owner).post(
        _url("timecodes_time_code_create", tenant), _time_code_post(**{"tc-code": "norm"})
    )
    assert response.status_code == 422
    assert sv("Another time code already has that code.") in response.content.decode()
    assert tc_state(tenant) == before


def test_invalid_paxml_code_is_refused_with_422(tenant, owner, objects):
    before = tc_state(tenant)
    response = login_client(owner).post(
        _url("timecodes_absence_type_create", tenant),
        {
            "ab-code": "X",
            "ab-name": "X",
            "ab-paxml_code": "NOPE",
            "ab-time_bank_effect": "none",
            "ab-sort_order": "0",
        },
    )
    assert response.status_code == 422
    assert tc_state(tenant) == before


def test_edit_makes_a_new_default_and_switches_the_old_off(tenant, owner, objects):
    tc = objects["time_code"]
    data = {"code": "OT50", "name": "Övertid 50 %", "paxml_code": "ÖT1", "time_bank_effect": "none"}
    data.update({"counts_as_worked": "on", "is_default": "on", "is_active": "on", "sort_order": "20"})
    response = login_client(owner).post(_url("timecodes_time_code_edit", tenant, tc.pk), data)
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert list(TimeCode.objects.filter(is_default=True).values_list("code", flat=True)) == ["OT50"]


def test_deactivating_the_default_rerenders_with_422(tenant, owner, objects):
    with tenant_scope(tenant.pk):
        norm = TimeCode.objects.get(code="NORM")
    data = {"code": "NORM", "name": "Normaltid", "paxml_code": "ARB", "time_bank_effect": "none"}
    data.update({"counts_as_worked": "on", "is_default": "on", "sort_order": "10"})  # is_active left out
    before = tc_state(tenant)
    response = login_client(owner).post(_url("timecodes_time_code_edit", tenant, norm.pk), data)
    assert response.status_code == 422
    assert (
        sv("The default time code must be active. Choose another default time code first.")
        in response.content.decode()
    )
    assert tc_state(tenant) == before


def test_payroll_codes_are_saved_per_system_and_errors_show_on_the_row(tenant, owner, objects):
    tc = objects["time_code"]
    client = login_client(owner)
    response = client.post(
        _url("timecodes_payroll_codes", tenant), {"system": "fortnox", f"time-{tc.pk}": "021"}
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert PayrollCode.objects.get(system="fortnox").code == "021"
    page = client.get(_url("timecodes_settings", tenant) + "?system=fortnox").content.decode()
    assert 'value="021"' in page
    assert 'data-testid="payroll-missing"' in page  # the other codes still lack a Fortnox code
    # a PAXml code outside the schema's list is refused on its row
    before = tc_state(tenant)
    response = client.post(
        _url("timecodes_payroll_codes", tenant), {"system": "paxml", f"time-{tc.pk}": "311"}
    )
    assert response.status_code == 422
    assert tc_state(tenant) == before


def test_settings_form_saves_and_refuses_out_of_range(tenant, owner, objects):
    client = login_client(owner)
    before = tc_state(tenant)
    bad = {"ps-period_start_day": "29", "ps-payroll_system": "paxml", "ps-reminder_days_before": "3"}
    assert client.post(_url("timecodes_time_settings", tenant), bad).status_code == 422
    bad = {"ps-period_start_day": "16", "ps-payroll_system": "paxml", "ps-reminder_days_before": "40"}
    assert client.post(_url("timecodes_time_settings", tenant), bad).status_code == 422
    assert tc_state(tenant) == before
    good = {
        "ps-period_start_day": "16",
        "ps-payroll_system": "paxml",
        "ps-reminders_enabled": "on",
        "ps-reminder_days_before": "3",
    }
    assert client.post(_url("timecodes_time_settings", tenant), good).status_code == 302
    with tenant_scope(tenant.pk):
        assert TimeSettings.objects.get().period_start_day == 16
    # the time bank may go negative, and time beyond the schedule is paid (issue 8)
    good |= {"ps-allow_negative_time_bank": "on", "ps-excess_time_rule": "paid"}
    assert client.post(_url("timecodes_time_settings", tenant), good).status_code == 302
    with tenant_scope(tenant.pk):
        saved = TimeSettings.objects.get()
    assert (saved.allow_negative_time_bank, saved.excess_time_rule) == (True, "paid")


def test_create_views_answer_405_to_get(tenant, owner):
    assert login_client(owner).get(_url("timecodes_time_code_create", tenant)).status_code == 405


# --- the trio --------------------------------------------------------------------------------------------


def test_stranger_gets_404_on_every_page(tenant, everyone, stranger, objects):
    before = tc_state(tenant)
    client = login_client(stranger)
    for method, url, data in _calls(tenant, objects):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    assert tc_state(tenant) == before


def test_forged_ids_of_another_tenant_answer_404(tenant, owner, other_tenant):
    foreign = {
        "time_code": TimeCodeFactory(tenant=other_tenant),
        "absence_type": AbsenceTypeFactory(tenant=other_tenant),
        "activity": ActivityFactory(tenant=other_tenant),
    }
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    before = tc_state(tenant, other_tenant)
    client = login_client(owner)
    for name, key in [
        ("timecodes_time_code_edit", "time_code"),
        ("timecodes_absence_type_edit", "absence_type"),
        ("timecodes_activity_edit", "activity"),
    ]:
        url = _url(name, tenant, foreign[key].pk)
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url, {"code": "HACK", "name": "Hack", "time_bank_effect": "none", "sort_order": "0"}
            ).status_code
            == 404
        )
    response = client.post(
        _url("timecodes_payroll_codes", tenant), {"system": "visma", f"time-{foreign['time_code'].pk}": "1"}
    )
    assert response.status_code in (200, 302, 422)  # an unknown field is ignored: nothing is written
    assert tc_state(tenant, other_tenant)["payroll_codes"] == before["payroll_codes"]
    assert tc_state(other_tenant)["time_codes"] == [
        r for r in before["time_codes"] if r["tenant_id"] == other_tenant.pk
    ]


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(request, tenant, everyone, objects, role):
    # given a user of each role / when they call every page
    client = login_client(request.getfixturevalue(role))
    for method, url, data in _calls(tenant, objects):
        before = tc_state(tenant)
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        if role in WRITERS:
            # then writers get the page or a redirect after a successful write
            assert response.status_code in (200, 302), (role, method, url, response.status_code)
        else:
            # and everyone else 403, with nothing changed
            assert response.status_code == 403, (role, method, url)
            assert tc_state(tenant) == before


@pytest.mark.parametrize("system", ["paxml", "visma"])
def test_settings_page_uses_a_constant_number_of_queries(tenant, owner, system):
    # given the page with the defaults (few rows) / when 30 more of each kind exist
    client = login_client(owner)
    url = _url("timecodes_settings", tenant) + f"?system={system}"
    services.timecodes_install_defaults(tenant_id=tenant.pk)  # as tenant_create does
    few, _ = count_queries(lambda: client.get(url))
    for i in range(30):
        TimeCodeFactory(tenant=tenant, code=f"X{i}", paxml_code="ARB")
        AbsenceTypeFactory(tenant=tenant, code=f"Y{i}", paxml_code="SJK")
        ActivityFactory(tenant=tenant, code=f"Z{i}")
    many, response = count_queries(lambda: client.get(url))
    # then the number of queries is the same
    assert response.status_code == 200
    assert many == few

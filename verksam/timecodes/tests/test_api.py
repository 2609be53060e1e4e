"""The timecodes API: lists for the mobile app, writes for SETTINGS_MANAGE, payroll codes, settings
and periods, and the DESIGN.md trio (other tenant -> 404, authorization matrix, constant queries)."""

import datetime as dt

import pytest

from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timecodes import services
from verksam.timecodes.models import AbsenceType, Activity, TimeCode

from .conftest import READERS, ROLES, WRITERS, actor_for, tc_state
from .factories import AbsenceTypeFactory, ActivityFactory, TimeCodeFactory

JSON = "application/json"


def _call(client, method, url, body=None):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, body or {}, content_type=JSON)


def _assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert isinstance(body["extra"], dict)
    return body


@pytest.fixture
def objects(tenant):
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        return {
            "time_code": TimeCode.objects.get(code="OT50"),
            "absence_type": AbsenceType.objects.get(code="TJL"),
            "activity": Activity.objects.get(code="MOTE"),
        }


def _reads(tenant):
    base = f"/api/v1/tenants/{tenant.pk}"
    return [
        ("get", f"{base}/activities", None),
        ("get", f"{base}/time-codes", None),
        ("get", f"{base}/absence-types", None),
    ]


def _writes(tenant, objects):
    base = f"/api/v1/tenants/{tenant.pk}"
    tc, ab, ac = objects["time_code"].pk, objects["absence_type"].pk, objects["activity"].pk
    return [
        ("post", f"{base}/activities", {"code": "EL", "name": "El"}),
        ("patch", f"{base}/activities/{ac}", {"name": "Möten"}),
        ("delete", f"{base}/activities/{ac}", None),
        ("post", f"{base}/time-codes", {"code": "OT3", "name": "Övertid 3", "paxml_code": "ÖT3"}),
        ("patch", f"{base}/time-codes/{tc}", {"name": "Övertid femtio"}),
        ("delete", f"{base}/time-codes/{tc}", None),
        ("post", f"{base}/absence-types", {"code": "SMB", "name": "Smittbärare", "paxml_code": "SMB"}),
        ("patch", f"{base}/absence-types/{ab}", {"name": "Tjänstledighet"}),
        ("delete", f"{base}/absence-types/{ab}", None),
        ("put", f"{base}/payroll-codes", {"system": "visma", "kind": "time", "target_id": tc, "code": "310"}),
        ("patch", f"{base}/time-settings", {"period_start_day": 16}),
    ]


# --- behaviour -------------------------------------------------------------------------------------------


def test_employee_reads_the_active_master_data_for_the_entry_form(tenant, employee):
    # given a new tenant with the defaults it was created with / when the mobile app loads its entry form
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    client = api_client(employee)
    codes = client.get(f"/api/v1/tenants/{tenant.pk}/time-codes").json()
    absence = client.get(f"/api/v1/tenants/{tenant.pk}/absence-types").json()
    activities = client.get(f"/api/v1/tenants/{tenant.pk}/activities").json()
    # then the defaults are there, in order, with paging
    assert codes["items"][0]["code"] == "NORM" and codes["items"][0]["is_default"]
    assert codes["items"][0]["payroll_codes"] == {"paxml": "TID"}
    assert codes["total"] == 8 and codes["page"] == 1
    vab = next(a for a in absence["items"] if a["code"] == "VAB")
    assert vab["requires_child"] and vab["paxml_code"] == "VAB"
    assert [a["code"] for a in activities["items"]] == ["ARB", "RESA", "ADM", "MOTE"]


def test_inactive_rows_are_left_out_unless_asked_for(tenant, owner, objects):
    client = api_client(owner)
    base = f"/api/v1/tenants/{tenant.pk}/activities"
    assert client.delete(f"{base}/{objects['activity'].pk}").json()["is_active"] is False
    assert "MOTE" not in [a["code"] for a in client.get(base).json()["items"]]
    assert "MOTE" in [a["code"] for a in client.get(base + "?active_only=false").json()["items"]]


def test_create_time_code_answers_201_and_a_duplicate_409(tenant, owner, objects):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/time-codes"
    response = client.post(url, {"code": "ot3", "name": "Övertid 3", "paxml_code": "öt3"}, content_type=JSON)
    assert response.status_code == 201
    assert (response.json()["code"], response.json()["paxml_code"]) == ("OT3", "ÖT3")
    before = tc_state(tenant)
    body = _assert_error(
        client.post(url, {"code": "NORM", "name": "X"}, content_type=JSON), 409, "duplicate_code"
    )
    assert body["extra"] == {"field": "code"}
    assert tc_state(tenant) == before


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("time-codes", {"code": "X", "name": "X", "paxml_code": "NOPE"}, 400, "invalid_paxml_code"),
        (
            "time-codes",
            {"code": "X", "name": "X", "time_bank_effect": "much"},
            400,
            "invalid_time_bank_effect",
        ),
        ("time-codes", {"code": "A B", "name": "X"}, 400, "invalid_code"),
        ("absence-types", {"code": "X", "name": "X", "paxml_code": "SICK"}, 400, "invalid_paxml_code"),
        ("absence-types", {"code": "SJK", "name": "X"}, 409, "duplicate_code"),
        ("activities", {"code": "ARB", "name": "X"}, 409, "duplicate_code"),
        ("activities", {"code": "Y"}, 422, "invalid"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(tenant, owner, objects, path, body, status, code):
    before = tc_state(tenant)
    response = api_client(owner).post(f"/api/v1/tenants/{tenant.pk}/{path}", body, content_type=JSON)
    _assert_error(response, status, code)
    assert tc_state(tenant) == before


def test_patch_default_switches_the_old_default_off(tenant, owner, objects):
    client = api_client(owner)
    tc = objects["time_code"]
    response = client.patch(
        f"/api/v1/tenants/{tenant.pk}/time-codes/{tc.pk}", {"is_default": True}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["is_default"]
    defaults = [
        c["code"]
        for c in client.get(f"/api/v1/tenants/{tenant.pk}/time-codes").json()["items"]
        if c["is_default"]
    ]
    assert defaults == ["OT50"]
    # and the default cannot be deactivated
    _assert_error(client.delete(f"/api/v1/tenants/{tenant.pk}/time-codes/{tc.pk}"), 400, "default_inactive")


def test_payroll_codes_list_set_and_clear(tenant, owner, partner_limited, objects):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/payroll-codes"
    tc = objects["time_code"]
    listing = client.get(url + "?system=visma").json()
    assert listing["system"] == "visma" and listing["missing"] == len(listing["items"]) == 16
    body = {"system": "visma", "kind": "time", "target_id": tc.pk, "code": "310"}
    after = client.put(url, body, content_type=JSON).json()
    row = next(i for i in after["items"] if i["target_id"] == tc.pk and i["kind"] == "time")
    assert (row["code"], row["mapped"], after["missing"]) == ("310", True, 15)
    cleared = client.put(url, {**body, "code": ""}, content_type=JSON).json()
    assert cleared["missing"] == 16
    # the default system is the tenant's; PAXml is fully mapped by the defaults
    assert client.get(url).json() == {**client.get(url + "?system=paxml").json()}
    assert client.get(url).json()["missing"] == 0
    # partner LIMITED reads neither here nor on the settings page (issue 7 item 2), and cannot write
    _assert_error(api_client(partner_limited).get(url), 403, "forbidden")
    _assert_error(api_client(partner_limited).put(url, body, content_type=JSON), 403, "forbidden")
    # bad system, bad kind, bad PAXml code
    _assert_error(client.get(url + "?system=hogia"), 400, "invalid_payroll_system")
    _assert_error(client.put(url, {**body, "kind": "project"}, content_type=JSON), 400, "invalid_target")
    _assert_error(
        client.put(url, {**body, "system": "paxml", "code": "310"}, content_type=JSON),
        400,
        "invalid_paxml_code",
    )


def test_time_settings_and_periods(tenant, owner, employee, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
    base = f"/api/v1/tenants/{tenant.pk}"
    settings = api_client(employee).get(f"{base}/time-settings").json()
    assert settings["period_start_day"] == 1
    assert settings["current_period"] == {"key": "2026-12", "start": "2026-12-01", "end": "2026-12-31"}
    client = api_client(owner)
    response = client.patch(
        f"{base}/time-settings", {"period_start_day": 16, "reminder_days_before": 2}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["current_period"] == {"key": "2026-12", "start": "2026-11-16", "end": "2026-12-15"}
    current = api_client(employee).get(f"{base}/periods/current").json()
    assert current == {"key": "2026-12", "start": "2026-11-16", "end": "2026-12-15"}
    leap = api_client(employee).get(f"{base}/periods/current?date=2028-02-29").json()
    assert leap == {"key": "2028-03", "start": "2028-02-16", "end": "2028-03-15"}
    _assert_error(api_client(employee).get(f"{base}/periods/current?date=2028-02-30"), 422, "invalid")
    before = tc_state(tenant)
    _assert_error(
        client.patch(f"{base}/time-settings", {"period_start_day": 29}, content_type=JSON),
        400,
        "invalid_period_start_day",
    )
    assert tc_state(tenant) == before


# --- the trio --------------------------------------------------------------------------------------------


def test_stranger_gets_404_on_every_endpoint(tenant, everyone, stranger, objects):
    base = f"/api/v1/tenants/{tenant.pk}"
    calls = [
        *_reads(tenant),
        *_writes(tenant, objects),
        ("get", f"{base}/payroll-codes", None),
        ("get", f"{base}/time-settings", None),
        ("get", f"{base}/periods/current", None),
    ]
    before = tc_state(tenant)
    client = api_client(stranger)
    for method, url, body in calls:
        _assert_error(_call(client, method, url, body), 404, "not_found")
    assert tc_state(tenant) == before


def test_forged_ids_of_another_tenant_answer_404(tenant, owner, other_tenant, objects):
    foreign = {
        "time_code": TimeCodeFactory(tenant=other_tenant),
        "absence_type": AbsenceTypeFactory(tenant=other_tenant),
        "activity": ActivityFactory(tenant=other_tenant),
    }
    before = tc_state(tenant, other_tenant)
    client = api_client(owner)
    base = f"/api/v1/tenants/{tenant.pk}"
    for path, key in (
        ("activities", "activity"),
        ("time-codes", "time_code"),
        ("absence-types", "absence_type"),
    ):
        url = f"{base}/{path}/{foreign[key].pk}"
        _assert_error(client.patch(url, {"name": "Kapad"}, content_type=JSON), 404, "not_found")
        _assert_error(client.delete(url), 404, "not_found")
    base = f"/api/v1/tenants/{tenant.pk}/payroll-codes"
    for kind, key in (("time", "time_code"), ("absence", "absence_type")):
        body = {"system": "visma", "kind": kind, "target_id": foreign[key].pk, "code": "1"}
        _assert_error(client.put(base, body, content_type=JSON), 404, "not_found")
    assert tc_state(tenant, other_tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(request, tenant, everyone, objects, role):
    client = api_client(request.getfixturevalue(role))
    base = f"/api/v1/tenants/{tenant.pk}"
    for method, url, body in _reads(tenant):
        response = _call(client, method, url, body)
        if role in READERS:
            assert response.status_code == 200, (role, url)
        else:
            _assert_error(response, 403, "forbidden")
    payroll = client.get(f"{base}/payroll-codes")
    if role in {"owner", "partner_full"}:  # SETTINGS_MANAGE, like the settings page
        assert payroll.status_code == 200, role
    else:
        _assert_error(payroll, 403, "forbidden")
    for url in (f"{base}/time-settings", f"{base}/periods/current"):
        # every member reads the period (the week, the queue); a LIMITED partner sees neither page
        if role == "partner_limited":
            _assert_error(client.get(url), 403, "forbidden")
        else:
            assert client.get(url).status_code == 200
    for method, url, body in _writes(tenant, objects):
        before = tc_state(tenant)
        response = _call(client, method, url, body)
        if role in WRITERS:
            assert response.status_code in (200, 201), (role, method, url, response.content)
        else:
            _assert_error(response, 403, "forbidden")
            assert tc_state(tenant) == before


@pytest.mark.parametrize("path", ["activities", "time-codes", "absence-types", "payroll-codes?system=visma"])
def test_lists_use_a_constant_number_of_queries(tenant, owner, path):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/{path}"
    services.timecodes_install_defaults(tenant_id=tenant.pk)  # as tenant_create does
    client.get(url)  # warm up: the token's first use is recorded once
    few, _ = count_queries(lambda: client.get(url))
    for i in range(30):
        TimeCodeFactory(tenant=tenant, code=f"X{i}")
        AbsenceTypeFactory(tenant=tenant, code=f"Y{i}")
        ActivityFactory(tenant=tenant, code=f"Z{i}")
    with tenant_scope(tenant.pk):
        for code in TimeCode.objects.filter(code__startswith="X"):
            services.payroll_code_set(
                actor=actor_for(owner, tenant), system="visma", code="1", time_code=code
            )
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert many == few

"""Lönefiler in the web and the API (issue 9 items 3, 6, 7 and 8): who may start, follow and download
a file (the owner, a FULL or LIMITED partner under the grant, audited as the partner), another tenant
and a partner without a grant refused, the progress bar, the refusal's links, and a history page that
costs the same number of queries for 2 files or 30."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.payroll.models import ExportStatus, PayrollExport
from verksam.tenancy.models import Membership, PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client

from . import builders
from .conftest import PERIOD

CONTENT = b'<?xml version="1.0" encoding="UTF-8"?>\n<paxml/>\n'


def _done(tenant, user, n=1, **changes):
    rows = []
    with tenant_scope(tenant.pk):
        for _ in range(n):
            export = PayrollExport(
                tenant=tenant,
                period_key=PERIOD,
                period_start=builders.START,
                period_end=builders.END,
                target="paxml",
                member_ids=[1],
                employee_count=1,
                created_by=user,
                status=ExportStatus.DONE,
                file_name="lonefil_paxml_20261216_20270115.xml",
                content_type="application/xml; charset=utf-8",
                sha256=hashlib.sha256(CONTENT).hexdigest(),
                size=len(CONTENT),
                progress_done=4,
                progress_total=4,
                **changes,
            )
            export.file.save("payroll", ContentFile(CONTENT), save=False)
            export.save()
            rows.append(export)
    return rows


def _files_url(tenant):
    return reverse("web:payroll_files", args=[tenant.slug]) + f"?period={PERIOD}"


@pytest.mark.parametrize("role", ["owner", "partner_full", "partner_limited"])
def test_payroll_admin_and_both_partner_levels_download_the_same_bytes(
    request, tenant, owner, role, sixteenth
):
    export = _done(tenant, owner)[0]
    user = request.getfixturevalue(role)
    web = login_client(user).get(reverse("web:payroll_export_download", args=[tenant.slug, export.pk]))
    api = api_client(user).get(f"/api/v1/tenants/{tenant.pk}/payroll/files/{export.pk}/download")
    assert web.status_code == api.status_code == 200
    assert web.content == api.content == CONTENT
    assert web["Content-Disposition"] == 'attachment; filename="lonefil_paxml_20261216_20270115.xml"'
    assert hashlib.sha256(web.content).hexdigest() == export.sha256 == api["X-Content-SHA256"]
    with tenant_scope(tenant.pk):
        rows = AuditEvent.objects.filter(action="payroll.export_download", user=user)
        assert rows.count() == 2
        if role != "owner":
            assert all(r.partner_tenant_id is not None for r in rows)


def test_another_tenant_and_a_partner_without_grant_get_404(
    tenant, owner, stranger, partner_limited, sixteenth
):
    export = _done(tenant, owner)[0]
    with tenant_scope(tenant.pk):
        PartnerGrant.objects.filter(user=partner_limited).update(revoked_at=timezone.now())
    for user in (stranger, partner_limited):
        for url in (
            reverse("web:payroll_files", args=[tenant.slug]),
            reverse("web:payroll_export_download", args=[tenant.slug, export.pk]),
            reverse("web:payroll_export_status", args=[tenant.slug, export.pk]),
        ):
            assert login_client(user).get(url).status_code == 404, (user, url)
        for path in ("payroll/files", f"payroll/files/{export.pk}", f"payroll/files/{export.pk}/download"):
            assert api_client(user).get(f"/api/v1/tenants/{tenant.pk}/{path}").status_code == 404


def test_an_employee_without_payroll_access_is_refused_and_nothing_is_made(
    tenant, owner, employee, sixteenth, member_ids
):
    export = _done(tenant, owner)[0]
    client = login_client(employee)
    assert client.get(_files_url(tenant)).status_code == 403
    assert (
        client.get(reverse("web:payroll_export_download", args=[tenant.slug, export.pk])).status_code == 403
    )
    response = client.post(
        reverse("web:payroll_files_start", args=[tenant.slug]), {"period": PERIOD, "target": "paxml"}
    )
    assert response.status_code == 403
    api = api_client(employee).post(
        f"/api/v1/tenants/{tenant.pk}/payroll/files",
        {"period": PERIOD, "target": "paxml", "member_ids": member_ids},
        content_type="application/json",
    )
    assert api.status_code == 403
    with tenant_scope(tenant.pk):
        assert PayrollExport.objects.count() == 1


def test_history_costs_the_same_queries_for_2_or_30_files(tenant, owner, partner_limited, sixteenth):
    def count():
        client = login_client(owner)
        client.get(_files_url(tenant))  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_files_url(tenant)).status_code == 200
        return len(queries)

    _done(tenant, owner, 2)
    few = count()
    _done(tenant, partner_limited, 28, created_by_partner=None)
    assert count() == few

    def api_count():
        client = api_client(owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/tenants/{tenant.pk}/payroll/files?page_size=100").status_code == 200
        return len(queries)

    many = api_count()
    with tenant_scope(tenant.pk):
        PayrollExport.objects.filter(
            pk__in=list(PayrollExport.objects.values_list("pk", flat=True)[:28])
        ).delete()
    assert api_count() == many


def test_start_in_the_page_follows_the_progress_and_offers_the_file(
    tenant, owner, partner_limited, sixteenth, current, member_ids, django_capture_on_commit_callbacks
):
    client = login_client(partner_limited)
    page = client.get(_files_url(tenant))
    assert page.status_code == 200
    assert b'data-testid="not-closed-warning"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:payroll_files_start", args=[tenant.slug]) + f"?period={PERIOD}",
            {"period": PERIOD, "target": "fortnox", "member_ids": [str(i) for i in member_ids]},
        )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        export = PayrollExport.objects.get()
        assert export.created_by == partner_limited and export.created_by_partner_id is not None
    status = client.get(reverse("web:payroll_export_status", args=[tenant.slug, export.pk]))
    assert b'data-status="done"' in status.content and b"hx-trigger" not in status.content
    assert export.sha256.encode() in status.content
    page = client.get(response["Location"])
    assert export.sha256[:12].encode() in page.content
    assert b'data-testid="correction-banner"' not in page.content


def test_a_running_export_is_polled(tenant, owner, sixteenth):
    export = _done(tenant, owner)[0]
    with tenant_scope(tenant.pk):
        PayrollExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress_done=2)
    status = login_client(owner).get(reverse("web:payroll_export_status", args=[tenant.slug, export.pk]))
    assert b'hx-trigger="every 1s"' in status.content and b'value="50"' in status.content


def test_refusal_in_the_page_lists_problems_with_links(
    tenant, owner, employee, sixteenth, current, member_ids, django_capture_on_commit_callbacks, swedish
):
    current["basis"] = builders.with_employee(builders.basis(), "20017", employment_number="")
    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(owner).post(
            reverse("web:payroll_files_start", args=[tenant.slug]),
            {"period": PERIOD, "target": "paxml", "member_ids": [str(i) for i in member_ids]},
        )
    page = login_client(owner).get(response["Location"])
    assert b'data-testid="refusal"' in page.content
    assert "Łukasz Wiśniewski".encode() in page.content


def test_bad_input_in_the_page_answers_422_in_swedish(tenant, owner, sixteenth, member_ids):
    client = login_client(owner)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    url = reverse("web:payroll_files_start", args=[tenant.slug])
    for data in (
        {"period": PERIOD, "target": "sap", "member_ids": member_ids},
        {"period": PERIOD, "target": "paxml", "member_ids": ["²"]},
        {"period": "2027-99", "target": "paxml", "member_ids": member_ids},
    ):
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert b'data-testid="start-error"' in response.content
    with tenant_scope(tenant.pk):
        assert not PayrollExport.objects.exists()


def test_the_api_starts_polls_and_lists(
    tenant, owner, partner_full, sixteenth, current, member_ids, django_capture_on_commit_callbacks
):
    client = api_client(partner_full)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/tenants/{tenant.pk}/payroll/files",
            {"period": PERIOD, "target": "visma", "member_ids": member_ids},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["kind"] == "normal" and body["period_closed"] is False
    polled = client.get(f"/api/v1/tenants/{tenant.pk}/payroll/files/{body['id']}").json()
    assert polled["status"] == "done" and polled["file_name"].endswith(".tlu")
    listed = client.get(f"/api/v1/tenants/{tenant.pk}/payroll/files").json()
    assert [e["id"] for e in listed["items"]] == [body["id"]] and listed["total"] == 1
    corrections = client.get(f"/api/v1/tenants/{tenant.pk}/payroll/periods/{PERIOD}/corrections").json()
    assert corrections["exported"] is True and corrections["next_kind"] == "correction"
    assert corrections["targets"] == ["visma"]
    bad = client.post(
        f"/api/v1/tenants/{tenant.pk}/payroll/files",
        {"period": PERIOD, "target": "visma", "member_ids": []},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "no_employees"
    with tenant_scope(tenant.pk):
        assert Membership.objects.exists()


def test_the_page_shows_the_correction_banner_when_the_basis_changed_or_the_period_reopened(
    tenant, owner, partner_limited, sixteenth, current, member_ids, django_capture_on_commit_callbacks
):
    client = login_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("web:payroll_files_start", args=[tenant.slug]),
            {"period": PERIOD, "target": "paxml", "member_ids": [str(i) for i in member_ids]},
        )
    page = client.get(_files_url(tenant))
    assert b'data-testid="correction-banner"' not in page.content  # nothing changed since
    basis = current["basis"]
    current["basis"] = builders.with_employee(basis, "20017", time=())  # Łukasz's leave re-attested away
    page = login_client(partner_limited).get(_files_url(tenant))
    assert b'data-testid="correction-banner"' in page.content
    assert "Anställda vars löneunderlag har ändrats sedan filen exporterades: 1.".encode() in page.content
    current["basis"] = basis
    with tenant_scope(tenant.pk):
        from verksam.attestation.models import PeriodClose

        PeriodClose.objects.create(
            tenant=tenant,
            period_key=PERIOD,
            start=builders.START,
            end=builders.END,
            reopened_at=timezone.now(),
            reopen_reason="Sjukdag saknades",
        )
    page = client.get(_files_url(tenant))
    assert b'data-testid="correction-banner"' in page.content and b"Sjukdag saknades" in page.content
    api = api_client(owner).get(f"/api/v1/tenants/{tenant.pk}/payroll/periods/{PERIOD}/corrections").json()
    assert api["reopened"] is True and api["correction_due"] is True

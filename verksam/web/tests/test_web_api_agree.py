"""Same permission, same answer, in the web and the API (issue 7 item 2), for both partner levels.

(a) every tenant page answers by the permission its `tenant_view` declares; (b) every tenant read
of the API answers by its declared permission (or, for the reads that check inside, by the
permissions listed here); (c) each page and the endpoint that reads the same data agree, pair by
pair. A new page or endpoint must be listed in PAIRS or in WEB_ONLY/API_ONLY with its reason."""

import json
import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse

from verksam.api.v1 import api
from verksam.tenancy.access import resolve
from verksam.tenancy.permissions import PARTNER_LEVEL_PERMS, Perm
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import membership_of

LEVELS = [("partner_full", "FULL"), ("partner_limited", "LIMITED")]
MISSING_ID = 999999
OPENAPI = json.loads((Path(__file__).resolve().parents[3] / "openapi" / "v1.json").read_text())

# API reads that check their permission inside (`tenant_endpoint()` + `_require_*`): any of these
INSIDE_CHECKS: dict[str, set[Perm]] = {
    "/tenants/{tenant_id}/projects": {Perm.PROJECTS_VIEW, Perm.TIME_REPORT_OWN},
    "/tenants/{tenant_id}/projects/{project_id}": {Perm.PROJECTS_VIEW, Perm.TIME_REPORT_OWN},
    "/tenants/{tenant_id}/activities": {Perm.TIME_REPORT_OWN, Perm.SETTINGS_MANAGE},
    "/tenants/{tenant_id}/time-codes": {Perm.TIME_REPORT_OWN, Perm.SETTINGS_MANAGE},
    "/tenants/{tenant_id}/absence-types": {Perm.TIME_REPORT_OWN, Perm.SETTINGS_MANAGE},
    "/tenants/{tenant_id}/payroll-codes": {Perm.SETTINGS_MANAGE},
    "/tenants/{tenant_id}/time-settings": {Perm.TIME_REPORT_OWN, Perm.TIME_ATTEST, Perm.SETTINGS_MANAGE},
    "/tenants/{tenant_id}/periods/current": {Perm.TIME_REPORT_OWN, Perm.TIME_ATTEST, Perm.SETTINGS_MANAGE},
    # Reporting on behalf (issue 8 item 6): who may act for whom is data (the approver relation) and
    # TIME_REPORT_OTHERS, checked per employee after the lookup, so a missing employee answers 404 to
    # everyone (as the page does); the pairs below check that an existing one answers 403 alike.
    "/tenants/{tenant_id}/employees/{member_id}/time-entries": set(),
    "/tenants/{tenant_id}/employees/{member_id}/time/days": set(),
    "/tenants/{tenant_id}/employees/{member_id}/absence-ranges": set(),
    "/tenants/{tenant_id}/employees/{member_id}/absence-ranges/{range_id}": set(),
    # expenses (issue 10): the types and rates are read by employees (for a claim) and administrators
    "/tenants/{tenant_id}/expense-types": {Perm.EXPENSES_OWN, Perm.SETTINGS_MANAGE},
    "/tenants/{tenant_id}/allowance-rates": {Perm.EXPENSES_OWN, Perm.SETTINGS_MANAGE},
    # one claim or receipt: its owner, whoever may attest them, EXPENSES_VIEW_ALL (404 to others)
    "/tenants/{tenant_id}/expenses/{item_id}": set(),
    "/tenants/{tenant_id}/receipts/{receipt_id}/file": set(),
    "/tenants/{tenant_id}/receipts/{receipt_id}/thumbnail": set(),
    # company cards (issue 10 item 5): the administrator sees every card, a holder their own
    "/tenants/{tenant_id}/cards": {Perm.SETTINGS_MANAGE, Perm.EXPENSES_OWN},
    # the statement templates hold no company data: any member or partner of the company
    "/tenants/{tenant_id}/card-statements/template.csv": set(),
    "/tenants/{tenant_id}/card-statements/template.xlsx": set(),
    # the portal (issue 11): no permission, but who: any member of an accounting firm in its own account
    # (404 elsewhere), any partner in a customer's account (404 for the company's own users)
    "/tenants/{tenant_id}/collaborations": set(),
    "/tenants/{tenant_id}/portal": set(),
    "/tenants/{tenant_id}/portal-inbox": set(),
    # documents and messages (issue 11): folder and channel permissions decide (their selectors);
    # partners need DOCUMENTS_SHARE / MESSAGES_PARTNER, and what they may not see answers 404
    **{
        path: set()
        for path in (
            "/tenants/{tenant_id}/document-collaborations",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/folders",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/bin",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/storage",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/notifications",
            "/tenants/{tenant_id}/document-folders/{folder_id}/documents",
            "/tenants/{tenant_id}/document-folders/{folder_id}/zip",
            "/tenants/{tenant_id}/documents/{document_id}",
            "/tenants/{tenant_id}/documents/{document_id}/download",
            "/tenants/{tenant_id}/message-collaborations",
            "/tenants/{tenant_id}/message-collaborations/{firm_id}/channels",
            "/tenants/{tenant_id}/message-collaborations/{firm_id}/channels/{key}/messages",
            "/tenants/{tenant_id}/message-attachments/{attachment_id}",
            "/tenants/{tenant_id}/message-collaborations/{firm_id}/notifications",
        )
    },
}

# (web page, API read of the same data); "{member}" and "{member_id}": the employee's membership
PAIRS = [
    ("web:members", "/tenants/{tenant_id}/members"),
    ("web:member_edit {member}", "/tenants/{tenant_id}/members/{member_id}/time-bank"),
    ("web:partner_grants", "/tenants/{tenant_id}/partner-grants"),
    ("web:balances", "/tenants/{tenant_id}/balances"),
    ("web:balances", "/tenants/{tenant_id}/balances/entries"),
    ("web:project_list", "/tenants/{tenant_id}/projects"),
    ("web:timecodes_settings", "/tenants/{tenant_id}/time-codes"),
    ("web:timecodes_settings", "/tenants/{tenant_id}/activities"),
    ("web:timecodes_settings", "/tenants/{tenant_id}/absence-types"),
    ("web:timecodes_settings", "/tenants/{tenant_id}/payroll-codes"),
    ("web:timecodes_settings", "/tenants/{tenant_id}/time-settings"),
    ("web:timecodes_settings", "/tenants/{tenant_id}/periods/current"),
    ("web:time_week", "/tenants/{tenant_id}/time/days"),
    ("web:time_month", "/tenants/{tenant_id}/time-entries"),
    ("web:time_week", "/tenants/{tenant_id}/time/bank"),
    ("web:time_absence", "/tenants/{tenant_id}/absence-ranges"),
    ("web:time_week", "/tenants/{tenant_id}/time/balances"),
    ("web:attest_employee {member}", "/tenants/{tenant_id}/members/{member_id}/balances"),
    ("web:attest_queue", "/tenants/{tenant_id}/attestation/queue"),
    ("web:attest_employee {member}", "/tenants/{tenant_id}/attestation/employees/{member_id}"),
    ("web:attest_delegations", "/tenants/{tenant_id}/attestation/delegations"),
    ("web:attest_queue", "/tenants/{tenant_id}/attestation/periods/{period_key}"),
    ("web:time_behalf {member}", "/tenants/{tenant_id}/employees/{member_id}/time-entries"),
    ("web:time_behalf {member}", "/tenants/{tenant_id}/employees/{member_id}/time/days"),
    ("web:schedules", "/tenants/{tenant_id}/schedule-templates"),
    ("web:member_schedule {member}", "/tenants/{tenant_id}/members/{member_id}/schedules"),
    ("web:my_schedule", "/tenants/{tenant_id}/time/schedule"),
    ("web:portal_customer", "/tenants/{tenant_id}/portal"),
    # Löneunderlag (issue 9)
    ("web:payroll_basis", "/tenants/{tenant_id}/payroll/closing-period"),
    ("web:payroll_basis", "/tenants/{tenant_id}/payroll/periods/{period_key}/basis"),
    ("web:payroll_basis", "/tenants/{tenant_id}/payroll/periods/{period_key}/missing"),
    ("web:payroll_basis", "/tenants/{tenant_id}/payroll/periods/{period_key}/selection"),
    ("web:payroll_dryrun", "/tenants/{tenant_id}/payroll/periods/{period_key}/dry-run"),
    ("web:payroll_files", "/tenants/{tenant_id}/payroll/files"),
    ("web:payroll_files", "/tenants/{tenant_id}/payroll/periods/{period_key}/corrections"),
    ("web:accounting_settings", "/tenants/{tenant_id}/accounting/connection"),
    ("web:accounting_settings", "/tenants/{tenant_id}/accounting/pushes"),
    ("web:bookkeeping", "/tenants/{tenant_id}/vouchers"),
    ("web:bookkeeping_settings", "/tenants/{tenant_id}/bookkeeping/settings"),
    ("web:bookkeeping_settings", "/tenants/{tenant_id}/bookkeeping/cost-accounts"),
    ("web:bookkeeping_settings", "/tenants/{tenant_id}/bookkeeping/fiscal-years"),
    # Nytt verifikat: the form starts in the settings' manual series, offers the cost accounts
    ("web:bookkeeping_voucher_new", "/tenants/{tenant_id}/bookkeeping/settings"),
    ("web:bookkeeping_voucher_new", "/tenants/{tenant_id}/bookkeeping/cost-accounts"),
    ("web:bookkeeping_outlays", "/tenants/{tenant_id}/outlays-to-book"),
    ("web:bookkeeping_private_outlays", "/tenants/{tenant_id}/private-outlays"),
    ("web:expenses_mine", "/tenants/{tenant_id}/expenses"),
    ("web:trips_mine", "/tenants/{tenant_id}/trips"),
    ("web:trips_mine", "/tenants/{tenant_id}/per-diems"),
    ("web:claims_queue", "/tenants/{tenant_id}/claims/queue"),
    ("web:expense_settings", "/tenants/{tenant_id}/allowance-rates"),
    ("web:cards_mine", "/tenants/{tenant_id}/card-purchases"),
    ("web:cards_queue", "/tenants/{tenant_id}/card-purchases-queue"),
    ("web:cards_portal", "/tenants/{tenant_id}/card-purchases-attested"),
    ("web:cards_admin", "/tenants/{tenant_id}/cards"),
]
# Pages of an accounting firm's own account (the portal, issue 11): paired in the firm's account
# (test_firm_pages_and_reads_agree); in a customer's account both answer 404.
FIRM_PAIRS = [
    ("web:portal", "/tenants/{tenant_id}/collaborations"),
    ("web:portal_inbox", "/tenants/{tenant_id}/portal-inbox"),
]
WEB_ONLY = {
    "web:dashboard": "the start page (every actor)",
    "web:audit": "the audit log has no API yet",
    "web:pricing": "licence prices: GET /prices is public, not per tenant",
    "web:portal_customer_tab": "a tab of web:portal_customer (GET /portal lists them); partners tests",
    # payroll files (issue 9): a file's progress and download need an export; payroll/tests/
    # test_export_pages.py pairs them with the API for the owner, FULL, LIMITED and strangers
    "web:payroll_export_status": "needs an export (payroll export page tests)",
    "web:payroll_export_download": "needs an export (payroll export page tests)",
    "web:bookkeeping_voucher": "needs a voucher (bookkeeping/tests/test_pages_and_api.py)",
    # expenses (issue 10): pages of one claim, receipt, type or rate (expenses/tests/test_pages.py)
    "web:receipt_file": "needs a receipt (expenses tests pair it with the API)",
    "web:receipt_thumbnail": "needs a receipt (expenses tests pair it with the API)",
    "web:card_statement_template": "a download in two formats (cards/tests/test_pages.py, test_api.py)",
    # documents (issue 11): every page needs a collaboration, folder or file: documents/tests/test_pages.py
    # and test_api.py pair them with the API for FULL, LIMITED, revoked, no grant and the customer
    **{
        f"web:{name}": "needs a collaboration, folder, file or channel (documents and messaging tests)"
        for name in (
            "documents",
            "documents_browse",
            "documents_bin",
            "documents_notifications",
            "documents_document",
            "documents_download",
            "documents_folder_zip",
            "messages_home",
            "messages",
            "messages_thread",
            "messages_attachment",
        )
    },
}
# forms and actions of a write: their writes are refused in the services (the service-level matrices)
WRITE_PAGES = {
    "web:card_purchase_edit",
    "web:card_purchase_pick",
    "web:card_purchase_book",
    "web:card_toggle",
    "web:card_statement_upload",
    "web:cards_decide",
    "web:expense_edit",
    "web:claim_own_action",
    "web:claim_decide",
    "web:per_diem_meals",
    "web:expense_type_edit",
    "web:rate_edit",
    "web:attest_bulk",
    "web:attest_delegation_revoke",
    "web:attest_period_close",
    "web:attest_period_reopen",
    "web:payroll_basis_pdf",  # a print is audited: a POST (reads never write)
    "web:payroll_dryrun_export",
    "web:payroll_selection",
    "web:accounting_connect",
    "web:accounting_disconnect",
    "web:accounting_push_retry",
    "web:accounting_return",  # the OAuth2 return page needs a state (integrations/accounting tests)
    "web:balances_return",
    "web:balances_topup",
    "web:balances_topup_detail",
    "web:bookkeeping_voucher_post",
    "web:bookkeeping_outlay_book",
    "web:bookkeeping_voucher_push",
    "web:bookkeeping_private_outlays_book",
    "web:bookkeeping_private_outlays_sie",
    "web:bookkeeping_voucher_reverse",
    "web:bookkeeping_voucher_delete",
    "web:bookkeeping_sie",
    "web:bookkeeping_settings_save",
    "web:bookkeeping_cost_account_save",
    "web:bookkeeping_fiscal_year_create",
    "web:invitation_resend",
    "web:invitation_revoke",
    "web:member_invite",
    "web:member_personnummer_confirm",
    "web:partner_grant_revoke",
    "web:payroll_files_start",
    "web:portal_collaboration_create",
    "web:documents_folder_create",
    "web:documents_folder_edit",
    "web:documents_folder_delete",
    "web:documents_folder_restore",
    "web:documents_upload",
    "web:documents_rename",
    "web:documents_move",
    "web:documents_delete",
    "web:documents_restore",
    "web:messages_post",
    "web:messages_read",
    "web:messages_notifications",
    "web:project_complete",
    "web:project_create",
    "web:project_detail",  # shows a project with its edit controls; needs a project (project tests)
    "web:project_edit",
    "web:project_member_add",
    "web:project_member_remove",
    "web:project_reopen",
    "web:schedule_assign",
    "web:schedule_template_create",
    "web:schedule_template_edit",
    "web:member_schedule_delete",
    "web:time_absence_delete",
    "web:time_absence_edit",  # a range's page with its edit form; needs a range (absence tests)
    "web:time_copy_week",
    "web:time_day",
    "web:time_entry_delete",
    "web:time_entry_edit",
    "web:time_grid_save",
    "web:time_lock",
    "web:time_unlock",
    "web:time_timer_start",
    "web:time_timer_stop",
    "web:time_behalf_entry_delete",
    "web:time_behalf_entry_edit",
    "web:time_behalf_lock",
    "web:timecodes_absence_type_create",
    "web:timecodes_absence_type_edit",
    "web:timecodes_activity_create",
    "web:timecodes_activity_edit",
    "web:timecodes_payroll_codes",
    "web:timecodes_time_code_create",
    "web:timecodes_time_code_edit",
    "web:timecodes_time_settings",
}
API_ONLY = {
    "/tenants/{tenant_id}/absence-ranges/{range_id}": "a range's page needs a range (absence tests)",
    "/tenants/{tenant_id}/employees/{member_id}/absence-ranges": (
        "an employee's ranges on their behalf: the web on-behalf page links to its days (absence tests)"
    ),
    "/tenants/{tenant_id}/employees/{member_id}/absence-ranges/{range_id}": "needs a range (absence tests)",
    "/tenants/{tenant_id}/projects/{project_id}": "a project's page needs a project (project tests)",
    "/tenants/{tenant_id}/time/timer": (
        "the running timer shows on web:time_day, a write page (timereporting/tests/test_web_issue12.py)"
    ),
    "/tenants/{tenant_id}/vouchers/{voucher_id}": "needs a voucher (bookkeeping/tests/test_pages_and_api.py)",
    "/tenants/{tenant_id}/vouchers/{voucher_id}/push": (
        "needs a sent voucher; shown on the voucher page (integrations/accounting/tests/test_voucher_push.py)"
    ),
    "/tenants/{tenant_id}/balances/topups/{payment_id}": "a top-up's page needs a payment (billing tests)",
    "/tenants/{tenant_id}/accounting/pushes/{push_id}": "needs a push (integrations/accounting tests)",
    "/tenants/{tenant_id}/invitations": "on the Users page for USERS_MANAGE only (invitation tests)",
    "/tenants/{tenant_id}/mails": "on the Users page for USERS_MANAGE only (mail tests)",
    "/tenants/{tenant_id}/payroll/files/{export_id}": "needs an export (payroll export page tests)",
    "/tenants/{tenant_id}/payroll/files/{export_id}/download": "needs an export (payroll export page tests)",
    "/tenants/{tenant_id}/expenses/{item_id}": "one claim; its web page is the edit form (expenses tests)",
    "/tenants/{tenant_id}/receipts/{receipt_id}/file": "needs a receipt (expenses tests)",
    "/tenants/{tenant_id}/receipts/{receipt_id}/thumbnail": "needs a receipt (expenses tests)",
    "/tenants/{tenant_id}/expense-types": "on web:expense_settings and in the forms",
    "/tenants/{tenant_id}/card-purchases/{purchase_id}/candidates": "on web:card_purchase_edit (cards tests)",
    "/tenants/{tenant_id}/card-statements/template.csv": "on web:cards_admin (cards tests)",
    "/tenants/{tenant_id}/card-statements/template.xlsx": "on web:cards_admin (cards tests)",
    **{
        path: "needs a collaboration, folder, file or channel (documents and messaging tests)"
        for path in (
            "/tenants/{tenant_id}/document-collaborations",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/folders",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/bin",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/storage",
            "/tenants/{tenant_id}/document-collaborations/{firm_id}/notifications",
            "/tenants/{tenant_id}/document-folders/{folder_id}/documents",
            "/tenants/{tenant_id}/document-folders/{folder_id}/zip",
            "/tenants/{tenant_id}/documents/{document_id}",
            "/tenants/{tenant_id}/documents/{document_id}/download",
            "/tenants/{tenant_id}/message-collaborations",
            "/tenants/{tenant_id}/message-collaborations/{firm_id}/channels",
            "/tenants/{tenant_id}/message-collaborations/{firm_id}/channels/{key}/messages",
            "/tenants/{tenant_id}/message-attachments/{attachment_id}",
            "/tenants/{tenant_id}/message-collaborations/{firm_id}/notifications",
        )
    },
}


def _web_routes():
    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    return [(route, p) for route, p in walk(get_resolver()) if route.startswith("t/<slug:slug>/")]


def _api_reads():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "{tenant_id}" in path and "GET" in operation.methods:
                    yield path, operation.view_func


def _query(path: str) -> str:
    """Values for the required query parameters (from the committed OpenAPI)."""
    params = OPENAPI["paths"]["/api/v1" + path]["get"].get("parameters", [])
    values = {"date": "2026-01-05", "integer": "1"}
    pairs = [
        f"{p['name']}={values.get(p['schema'].get('format') or p['schema'].get('type'), 'x')}"
        for p in params
        if p["in"] == "query" and p.get("required")
    ]
    return "?" + "&".join(pairs) if pairs else ""


def _api_url(tenant, path: str, **ids) -> str:
    url = path.replace("{tenant_id}", str(tenant.pk))
    ids.setdefault("period_key", "2026-01")
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), MISSING_ID)), url)
    return "/api/v1" + url + _query(path)


def _web_url(tenant, spec: str, member_id: int) -> str:
    name, *args = spec.split()
    return reverse(name, args=[tenant.slug, *(member_id for _ in args)])


def _expected(perms: set[Perm] | None, level: str) -> bool:
    """True when the partner level may (no perm needed, or any of `perms` held)."""
    return not perms or bool(perms & PARTNER_LEVEL_PERMS[level])


@pytest.mark.parametrize(("role", "level"), LEVELS)
def test_every_tenant_page_answers_by_its_declared_permission(request, tenant, owner, employee, role, level):
    client = login_client(request.getfixturevalue(role))
    for route, pattern in _web_routes():
        assert hasattr(pattern.callback, "required_perm"), f"{route} is not a tenant_view"
        perm = pattern.callback.required_perm
        url = "/" + route.replace("<slug:slug>", tenant.slug)
        url = re.sub(r"<str:\w+>", "2026-01-05", re.sub(r"<int:\w+>", str(MISSING_ID), url))
        status = client.get(url).status_code
        if _expected({perm} if perm else None, level):
            assert status != 403, (url, status)
        else:
            assert status == 403, (url, status)


@pytest.mark.parametrize(("role", "level"), LEVELS)
def test_every_tenant_read_of_the_api_answers_by_its_permission(request, tenant, owner, role, level):
    client = api_client(request.getfixturevalue(role))
    for path, view in _api_reads():
        perm = view.required_perm
        perms = {perm} if perm else INSIDE_CHECKS.get(path)
        assert perms is not None or path in INSIDE_CHECKS, f"{path}: declare its permission"
        response = client.get(_api_url(tenant, path))
        if _expected(perms, level):
            assert response.status_code != 403, (path, response.content)
        else:
            assert response.status_code == 403, (path, response.status_code)
            assert response.json()["code"] == "forbidden"


def test_every_page_and_read_is_paired_or_explained():
    paired_web = {spec.split()[0] for spec, _ in PAIRS + FIRM_PAIRS}
    pages = {f"web:{p.name}" for _route, p in _web_routes()}
    assert pages - paired_web - set(WEB_ONLY) - WRITE_PAGES == set()
    reads = {path for path, _view in _api_reads()}
    assert reads - {path for _, path in PAIRS + FIRM_PAIRS} - set(API_ONLY) == set()


@pytest.mark.parametrize(("page", "endpoint"), FIRM_PAIRS)
def test_firm_pages_and_reads_agree(partner_full, partner_firm, stranger, page, endpoint):
    # the firm's TOTAL user (partner_full) and a person of another company
    for user, expected in ((partner_full, 200), (stranger, 404)):
        web = login_client(user).get(reverse(page, args=[partner_firm.slug])).status_code
        api_response = api_client(user).get(_api_url(partner_firm, endpoint))
        assert (web, api_response.status_code) == (expected, expected), (page, endpoint, user)


@pytest.mark.parametrize(("role", "level"), LEVELS)
@pytest.mark.parametrize(("page", "endpoint"), PAIRS)
def test_web_and_api_give_the_same_answer(request, tenant, owner, employee, role, level, page, endpoint):
    user = request.getfixturevalue(role)
    member = membership_of(tenant, employee).pk
    web = login_client(user).get(_web_url(tenant, page, member)).status_code
    api_response = api_client(user).get(_api_url(tenant, endpoint, member_id=member))
    assert (web, api_response.status_code) in {(200, 200), (403, 403)}, (
        page,
        endpoint,
        web,
        api_response.content,
    )
    actor = resolve(user, tenant)
    assert actor is not None and actor.partner_level == level

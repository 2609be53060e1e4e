"""Every page of the web UI, built from the URL resolver (issue 12 "Done when").

`all_pages()` walks the `web` and `accounts` URL namespaces. A path whose only argument is the
company's slug is visited as it is; a path with ids gets them from the demo data (`IDS`); a path that
is not a page to look at (an action that only takes POST, a download, a fragment, a mailed token) is
listed in `SKIP` with the reason. A new URL that is in none of the three makes the sweep fail, so new
pages are swept from the day they exist.

Who looks: the demo's owner (Agnes, TOTAL) sees every company page of Byggmästarna; the apprentice
(Hanna, LIGHT) sees the time pages as a worker does; the accountant (Lena) sees the accounting firm's
portal. See docs/demo.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

COMPANY = "byggmastarna"
FIRM = "revisionsbyran"
OWNER = "agnes@byggmastarna.test"
WORKER = "hanna@byggmastarna.test"
ACCOUNTANT = "lena@revisionsbyran.test"
PASSWORD = "demo1234"

POST_ONLY = "an action: POST only, no page of its own"

# url name -> why the sweep does not look at it
SKIP: dict[str, str] = {
    "web:manifest": "JSON for the installable app, not a page",
    "web:service_worker": "JavaScript for the installable app, not a page",
    "web:invitation": "needs the token of a mailed link (tests/e2e/test_invitations.py)",
    "web:invitation_new_link": "needs the token of a mailed link (tests/e2e/test_invitations.py)",
    "web:my_invitation": "needs a pending invitation to the visitor (tests/e2e/test_invitations.py)",
    "web:invitation_resend": POST_ONLY,
    "web:invitation_revoke": POST_ONLY,
    "web:partner_grant_revoke": POST_ONLY,
    "web:documents_folder_delete": POST_ONLY,
    "web:documents_folder_restore": POST_ONLY,
    "web:documents_folder_zip": "a ZIP download",
    "web:documents_upload": POST_ONLY,
    "web:documents_download": "a file download",
    "web:documents_rename": POST_ONLY,
    "web:documents_move": POST_ONLY,
    "web:documents_delete": POST_ONLY,
    "web:documents_restore": POST_ONLY,
    "web:messages_thread": "an htmx fragment of the messages page (swept with it)",
    "web:messages_post": POST_ONLY,
    "web:messages_read": POST_ONLY,
    "web:messages_attachment": "a file download",
    "web:messages_notifications": POST_ONLY,
    "web:balances_topup_detail": "a payment at the payment provider (tests/e2e/test_billing_topup.py)",
    "web:balances_return": "the payment provider's return address (tests/e2e/test_billing_topup.py)",
    "web:project_complete": POST_ONLY,
    "web:project_reopen": POST_ONLY,
    "web:project_member_add": POST_ONLY,
    "web:project_member_remove": POST_ONLY,
    "web:schedule_assign": POST_ONLY,
    "web:schedule_template_create": POST_ONLY,
    "web:timecodes_time_code_create": POST_ONLY,
    "web:timecodes_absence_type_create": POST_ONLY,
    "web:timecodes_activity_create": POST_ONLY,
    "web:timecodes_payroll_codes": POST_ONLY,
    "web:timecodes_time_settings": POST_ONLY,
    "web:member_schedule_delete": POST_ONLY,
    "web:time_grid_save": POST_ONLY,
    "web:time_entry_delete": POST_ONLY,
    "web:time_lock": POST_ONLY,
    "web:time_timer_start": POST_ONLY,
    "web:time_timer_stop": POST_ONLY,
    "web:time_unlock": POST_ONLY,
    "web:time_copy_week": POST_ONLY,
    "web:time_behalf_entry_delete": POST_ONLY,
    "web:time_behalf_lock": POST_ONLY,
    "web:time_absence_delete": POST_ONLY,
    "web:attest_bulk": POST_ONLY,
    "web:attest_delegation_revoke": POST_ONLY,
    "web:attest_period_close": POST_ONLY,
    "web:attest_period_reopen": POST_ONLY,
    "web:members_invitation_resend": POST_ONLY,
    "web:accounting_oauth_callback": "the accounting system's OAuth return address",
    "web:accounting_push_retry": POST_ONLY,
    "web:payroll_export_download": "a file download",
    "web:payroll_export_status": "the htmx progress fragment of a payroll file (swept with its page)",
    "web:accounting_connect": POST_ONLY,
    "web:accounting_disconnect": POST_ONLY,
    "web:accounting_return": "the accounting system's return address after connecting",
    "web:payroll_selection": POST_ONLY,
    "web:payroll_files_start": POST_ONLY,
    "web:payroll_basis_pdf": "a PDF download",
    "web:payroll_dryrun_export": "a file download for one employee chosen on the payroll page",
    "web:bookkeeping_voucher": "needs a voucher; the demo has none (bookkeeping tests)",
    "web:bookkeeping_voucher_post": POST_ONLY,
    "web:bookkeeping_sie": POST_ONLY,
    "web:bookkeeping_settings_save": POST_ONLY,
    "web:bookkeeping_cost_account_save": POST_ONLY,
    "web:bookkeeping_fiscal_year_create": POST_ONLY,
    "web:bookkeeping_voucher_reverse": POST_ONLY,
    "web:bookkeeping_voucher_delete": POST_ONLY,
    "web:expense_edit": "needs an expense; the demo has none yet (expenses/tests/test_pages.py)",
    "web:per_diem_meals": "needs a per diem; the demo has none yet (expenses/tests/test_pages.py)",
    "web:receipt_file": "a file download",
    "web:receipt_thumbnail": "an image download",
    "web:claim_own_action": POST_ONLY,
    "web:claim_decide": POST_ONLY,
    "web:bookkeeping_outlay_book": POST_ONLY,
    "web:bookkeeping_voucher_push": POST_ONLY,
    "web:card_purchase_book": POST_ONLY,
    "web:card_purchase_edit": "needs a card purchase; the demo has none (cards tests)",
    "web:card_purchase_pick": POST_ONLY,
    "web:card_statement_template": "a file download",
    "web:card_toggle": POST_ONLY,
    "web:cards_decide": POST_ONLY,
    "web:bookkeeping_private_outlays_book": POST_ONLY,
    "web:bookkeeping_private_outlays_sie": POST_ONLY,
    "accounts:logout": POST_ONLY,
    "accounts:token_revoke": POST_ONLY,
    "accounts:password_reset_confirm": "needs the token of a mailed link",
}


@dataclass(frozen=True)
class Visit:
    name: str  # the url name, e.g. "web:members"
    who: str  # e-mail of the demo user, "" for a visitor who is not logged in
    path: str  # e.g. "/t/byggmastarna/users/"

    @property
    def label(self) -> str:
        return f"{self.name} as {self.who or 'visitor'}"


def _walk(patterns, namespace: str = "") -> list[tuple[str, list[str]]]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in {"web", "accounts"}:
                out += _walk(p.url_patterns, p.namespace)
            elif p.namespace is None and not namespace:
                out += _walk(p.url_patterns, namespace)
        elif isinstance(p, URLPattern) and namespace and p.name:
            out.append((f"{namespace}:{p.name}", list(p.pattern.converters)))
    return out


def url_names() -> dict[str, list[str]]:
    """`{url name: [argument names]}` of every page of the web UI."""
    return dict(_walk(get_resolver().url_patterns))


def _demo_ids() -> dict[str, dict]:
    """The ids the pages with ids are shown with, from the demo data (after seed_demo)."""
    from verksam.documents.models import Document, Folder
    from verksam.expenses.models import AllowanceRate, ExpenseType
    from verksam.projects.models import Project
    from verksam.schedules.models import ScheduleTemplate
    from verksam.tenancy.models import Membership, Tenant
    from verksam.tenancy.scope import tenant_scope
    from verksam.timecodes.models import AbsenceType, Activity, TimeCode
    from verksam.timereporting.models import AbsenceRange, TimeEntry

    bygg = Tenant.objects.get(slug=COMPANY)
    byra = Tenant.objects.get(slug=FIRM)
    with tenant_scope(bygg.pk):
        hanna = Membership.objects.get(user__email=WORKER)
        project = Project.objects.order_by("pk").first()
        entry = (
            TimeEntry.objects.filter(membership=hanna, absence_type__isnull=True).order_by("-date").first()
        )
        absence_range = AbsenceRange.objects.filter(membership=hanna).order_by("pk").first()
        ids = {
            "member": hanna.pk,
            "project": project.pk,
            "time_code": TimeCode.objects.order_by("pk").first().pk,
            "absence_type": AbsenceType.objects.order_by("pk").first().pk,
            "activity": Activity.objects.order_by("pk").first().pk,
            "template": ScheduleTemplate.objects.order_by("pk").first().pk,
            "entry": entry.pk,
            "entry_day": entry.date.isoformat(),
            "range": absence_range.pk if absence_range else None,
            "folder": Folder.objects.filter(partner_tenant=byra).order_by("pk").first().pk,
            "document": Document.objects.order_by("pk").first().pk,
            "expense_type": ExpenseType.objects.order_by("pk").first().pk,
            "rate": AllowanceRate.objects.order_by("pk").first().pk,
        }
    ids["firm"] = byra.pk
    with tenant_scope(byra.pk):
        # the firm confirms its own staff's personnummer (only a firm does)
        ids["firm_member"] = Membership.objects.get(user__email="martin@revisionsbyran.test").pk
    return ids


def _kwargs(ids: dict) -> dict[str, list[tuple[str, dict]]]:
    """url name -> [(who, kwargs)] for the pages with ids."""
    from verksam.partners.selectors import PORTAL_TABS

    c = {"slug": COMPANY}
    return {
        "web:member_edit": [(OWNER, c | {"membership_id": ids["member"]})],
        "web:member_personnummer_confirm": [
            (ACCOUNTANT, {"slug": FIRM, "membership_id": ids["firm_member"]})
        ],
        "web:portal_customer_tab": [
            (ACCOUNTANT, c | {"tab": tab.key})
            for tab in PORTAL_TABS
            if tab.key not in {"documents", "messages"}
        ],
        "web:documents_browse": [
            (OWNER, c | {"firm_id": ids["firm"]}),
            (ACCOUNTANT, c | {"firm_id": ids["firm"]}),
        ],
        "web:documents_folder_create": [(OWNER, c | {"firm_id": ids["firm"]})],
        "web:documents_bin": [(OWNER, c | {"firm_id": ids["firm"]})],
        "web:documents_notifications": [(OWNER, c | {"firm_id": ids["firm"]})],
        "web:documents_folder_edit": [(ACCOUNTANT, c | {"folder_id": ids["folder"]})],
        "web:documents_document": [(OWNER, c | {"document_id": ids["document"]})],
        "web:messages": [(OWNER, c | {"firm_id": ids["firm"]}), (ACCOUNTANT, c | {"firm_id": ids["firm"]})],
        "web:messages_notifications": [(OWNER, c | {"firm_id": ids["firm"]})],
        "web:project_detail": [(OWNER, c | {"project_id": ids["project"]})],
        "web:project_edit": [(OWNER, c | {"project_id": ids["project"]})],
        "web:timecodes_time_code_edit": [(OWNER, c | {"time_code_id": ids["time_code"]})],
        "web:timecodes_absence_type_edit": [(OWNER, c | {"absence_type_id": ids["absence_type"]})],
        "web:timecodes_activity_edit": [(OWNER, c | {"activity_id": ids["activity"]})],
        "web:schedule_template_edit": [(OWNER, c | {"template_id": ids["template"]})],
        "web:member_schedule": [(OWNER, c | {"membership_id": ids["member"]})],
        "web:time_day": [(WORKER, c | {"day": ids["entry_day"]})],
        "web:time_entry_edit": [(WORKER, c | {"entry_id": ids["entry"]})],
        "web:time_behalf": [(OWNER, c | {"member_id": ids["member"]})],
        "web:time_behalf_entry_edit": [(OWNER, c | {"member_id": ids["member"], "entry_id": ids["entry"]})],
        "web:time_absence_edit": [(WORKER, c | {"range_id": ids["range"]})] if ids["range"] else [],
        "web:attest_employee": [(OWNER, c | {"member_id": ids["member"]})],
        "web:expense_type_edit": [(OWNER, c | {"type_id": ids["expense_type"]})],
        "web:rate_edit": [(OWNER, c | {"rate_id": ids["rate"]})],
    }


# pages without ids that the worker and the accountant see too (besides the owner)
ALSO_AS = {
    WORKER: {"web:time_week", "web:time_month", "web:my_schedule", "web:time_absence", "web:dashboard"},
}
FIRM_PAGES = {"web:portal", "web:portal_inbox", "web:portal_collaboration_create"}
ACCOUNTANT_PAGES = {"web:portal_customer"}
ANONYMOUS = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "web:offline",
}


class UnlistedPage(Exception):
    pass


def all_pages() -> list[Visit]:
    """Every visit of the sweep; raise UnlistedPage for a URL with ids that no list names."""
    ids = _demo_ids()
    with_ids = _kwargs(ids)
    visits: list[Visit] = []
    unlisted = []
    for name, args in url_names().items():
        if name in SKIP:
            continue
        if name in with_ids:
            visits += [Visit(name, who, reverse(name, kwargs=kw)) for who, kw in with_ids[name]]
        elif not args:
            visits.append(Visit(name, "" if name in ANONYMOUS else OWNER, reverse(name)))
        elif args == ["slug"]:
            if name in FIRM_PAGES:
                visits.append(Visit(name, ACCOUNTANT, reverse(name, kwargs={"slug": FIRM})))
                continue
            who = ACCOUNTANT if name in ACCOUNTANT_PAGES else OWNER
            visits.append(Visit(name, who, reverse(name, kwargs={"slug": COMPANY})))
            for other, names in ALSO_AS.items():
                if name in names:
                    visits.append(Visit(name, other, reverse(name, kwargs={"slug": COMPANY})))
        else:
            unlisted.append(name)
    if unlisted:
        raise UnlistedPage(f"add these to tests/e2e/pages.py (IDS or SKIP): {sorted(unlisted)}")
    return visits

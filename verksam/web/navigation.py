"""The module navigation: each entry shows only when the actor holds its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: Perm | None
    section: str = "main"
    firm_only: bool = False  # only in an accounting firm's own account (the portal, issue 11)
    customer_only: bool = False  # only for a company's own users, not in a firm's account (issue 11)


NAV: list[NavItem] = [
    NavItem(_("Overview"), "web:dashboard", None),
    NavItem(_("My collaborations"), "web:portal", None, firm_only=True),
    NavItem(_("Needs action"), "web:portal_inbox", None, firm_only=True),
    NavItem(_("Time reporting"), "web:time_week", Perm.TIME_REPORT_OWN),
    NavItem(_("My expenses"), "web:expenses_mine", Perm.EXPENSES_OWN),
    NavItem(_("My trips"), "web:trips_mine", Perm.EXPENSES_OWN),
    NavItem(_("My card purchases"), "web:cards_mine", Perm.EXPENSES_OWN),
    NavItem(_("Projects"), "web:project_list", Perm.PROJECTS_VIEW),
    NavItem(_("Documents"), "web:documents", None, customer_only=True),
    NavItem(_("Messages"), "web:messages_home", None, customer_only=True),
    NavItem(_("Attestation"), "web:attest_queue", Perm.TIME_ATTEST),
    NavItem(_("Payroll basis"), "web:payroll_basis", Perm.PAYROLL_VIEW),
    NavItem(_("Bookkeeping"), "web:bookkeeping", Perm.BOOKKEEPING),
    # the employees' contact and salary data: read-only for a LIMITED partner (same perm as the API)
    NavItem(_("Users"), "web:members", Perm.EMPLOYEES_VIEW, "admin"),
    NavItem(_("Time settings"), "web:timecodes_settings", Perm.SETTINGS_MANAGE, "admin"),
    NavItem(_("Work schedules"), "web:schedules", Perm.SCHEDULES_MANAGE, "admin"),
    NavItem(_("Expense settings"), "web:expense_settings", Perm.SETTINGS_MANAGE, "admin"),
    NavItem(_("Company cards"), "web:cards_admin", Perm.SETTINGS_MANAGE, "admin"),
    NavItem(_("Accounting firms"), "web:partner_grants", Perm.PARTNER_GRANTS_MANAGE, "admin"),
    NavItem(_("Accounting system"), "web:accounting_settings", Perm.ACCOUNTING_SYSTEM, "admin"),
    NavItem(_("Balances"), "web:balances", Perm.BALANCES_VIEW, "admin"),
    NavItem(_("Licences and prices"), "web:pricing", Perm.BILLING_VIEW, "admin"),
    NavItem(_("Audit log"), "web:audit", Perm.AUDIT_VIEW, "admin"),
]


def register(item: NavItem) -> None:
    """Let a later module add its entry (keeps this file the single list)."""
    NAV.append(item)


def nav_for(actor, current_path: str) -> list[dict]:
    items = []
    for item in NAV:
        if item.perm is not None and not actor.has(item.perm):
            continue
        if item.firm_only and (actor.is_partner or not actor.tenant.is_partner):
            continue
        if item.customer_only and (actor.is_partner or actor.tenant.is_partner):
            continue
        url = reverse(item.url_name, args=[actor.tenant.slug])
        items.append(
            {
                "label": item.label,
                "url": url,
                "section": item.section,
                "active": current_path == url
                or (url != f"/t/{actor.tenant.slug}/" and current_path.startswith(url)),
            }
        )
    return items

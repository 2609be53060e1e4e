"""The module navigation: each entry shows only when the actor holds its permission."""

import functools
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
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
    slug = actor.tenant.slug
    items = []
    for label, url, section in _entries(
        slug, actor.perms, actor.is_partner, actor.tenant.is_partner, get_script_prefix(), len(NAV)
    ):
        items.append(
            {
                "label": label,
                "url": url,
                "section": section,
                "active": current_path == url or (url != f"/t/{slug}/" and current_path.startswith(url)),
            }
        )
    return items


@functools.lru_cache(maxsize=2048)
def _entries(
    slug: str, perms: frozenset, is_partner: bool, firm: bool, prefix: str, count: int
) -> tuple[tuple[str | Promise, str, str], ...]:
    """The entries an actor with these permissions sees in this tenant, their addresses reversed once
    per process (issue 13: ~10 `reverse` calls on every page). `count`: NAV's length, so that a later
    `register` is seen; `prefix`: the script prefix the addresses begin with."""
    entries = []
    for item in NAV[:count]:
        if item.perm is not None and item.perm not in perms:
            continue
        if item.firm_only and (is_partner or not firm):
            continue
        if item.customer_only and (is_partner or firm):
            continue
        entries.append((item.label, reverse(item.url_name, args=[slug]), item.section))
    return tuple(entries)

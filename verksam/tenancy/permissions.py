"""Permissions are data (DESIGN.md rule 11): what each licence and each partner level may do.

DOMAIN.md: LIGHT = own time and receipts, no projects; BASIC = sees and creates projects, no prices,
no creating customers; STANDARD = full project access; TOTAL = everything incl. settings, labels,
users and balances. Partner FULL = everything the customer's TOTAL may; LIMITED = employees'
contact and salary data, payroll basis, receipts and expenses.
"""

from enum import StrEnum


class Perm(StrEnum):
    # own work
    TIME_REPORT_OWN = "time.report_own"
    EXPENSES_OWN = "expenses.own"
    # attestation of time (being someone's approver is data: Membership.approver)
    TIME_ATTEST = "time.attest"  # may act as an approver (attestansvarig) of the people assigned
    TIME_ATTEST_ALL = "time.attest_all"  # may attest anyone's time in the tenant
    TIME_ATTEST_OWN = "time.attest_own"  # may attest their own time
    TIME_REOPEN = "time.reopen"  # may reopen attested time, with a reason
    TIME_VIEW_ALL = "time.view_all"  # may read everyone's time entries
    # projects and customers
    PROJECTS_VIEW = "projects.view"
    PROJECTS_CREATE = "projects.create"
    PROJECTS_MANAGE = "projects.manage"
    PRICES_VIEW = "prices.view"
    CUSTOMERS_VIEW = "customers.view"
    CUSTOMERS_CREATE = "customers.create"
    LABELS_MANAGE = "labels.manage"
    # people and payroll
    EMPLOYEES_VIEW = "employees.view"
    EMPLOYEE_SALARY_VIEW = "employees.salary_view"
    PAYROLL_VIEW = "payroll.view"
    EXPENSES_VIEW_ALL = "expenses.view_all"
    # administration
    USERS_MANAGE = "users.manage"
    SETTINGS_MANAGE = "settings.manage"
    BALANCES_VIEW = "balances.view"
    BALANCES_TOPUP = "balances.topup"
    PARTNER_GRANTS_MANAGE = "partners.manage"
    AUDIT_VIEW = "audit.view"
    BILLING_VIEW = "billing.view"


_LIGHT = frozenset({Perm.TIME_REPORT_OWN, Perm.EXPENSES_OWN})
_BASIC = _LIGHT | {Perm.PROJECTS_VIEW, Perm.PROJECTS_CREATE, Perm.CUSTOMERS_VIEW}
_STANDARD = _BASIC | {
    Perm.PROJECTS_MANAGE,
    Perm.PRICES_VIEW,
    Perm.CUSTOMERS_CREATE,
    Perm.BALANCES_VIEW,
    Perm.TIME_ATTEST,
}
_TOTAL = frozenset(Perm)

LICENCE_PERMS: dict[str, frozenset[Perm]] = {
    "LIGHT": _LIGHT,
    "BASIC": frozenset(_BASIC),
    "STANDARD": frozenset(_STANDARD),
    "TOTAL": _TOTAL,
}

PARTNER_LEVEL_PERMS: dict[str, frozenset[Perm]] = {
    # Only the customer's own TOTAL users decide which accounting-firm people get in: a partner with
    # full access must not be able to grant access to others (issue: "the customer tenant's TOTAL user
    # adds a byråpartner").
    # A partner has no time of their own to report or attest.
    "FULL": _TOTAL
    - {Perm.PARTNER_GRANTS_MANAGE, Perm.TIME_REPORT_OWN, Perm.EXPENSES_OWN, Perm.TIME_ATTEST_OWN},
    "LIMITED": frozenset(
        {
            Perm.EMPLOYEES_VIEW,
            Perm.EMPLOYEE_SALARY_VIEW,
            Perm.PAYROLL_VIEW,
            Perm.EXPENSES_VIEW_ALL,
            Perm.TIME_VIEW_ALL,  # the payroll basis is built from everyone's attested time
        }
    ),
}

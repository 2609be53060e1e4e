"""Permissions are data (DESIGN.md rule 11): what each licence and each partner level may do.

DOMAIN.md: LIGHT = own time and receipts, no projects; BASIC = sees and creates projects, no prices,
no creating customers; STANDARD = full project access; TOTAL = everything incl. settings, labels,
users and balances. Partner FULL = full access incl. admin pages, but never the customer's own
access; LIMITED = employees' contact and salary data, payroll basis, receipts and expenses.
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
    # Report, correct and lock anyone's time on their behalf (issue 8 item 6: a payroll clerk). An
    # approver does the same for their own employees through the approver relation (data, as
    # attestation), not through this permission; a substitute does not (timereporting.rules).
    TIME_REPORT_OTHERS = "time.report_others"
    # Close a deviation period after payroll, and reopen a closed one with a reason (issue 8 item 8).
    PERIOD_CLOSE = "payroll.period_close"
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
    # edit the dated mileage and per-diem rates (Skatteverket's amounts; issue 10 item 2): TOTAL only
    EXPENSE_RATES_MANAGE = "expenses.rates_manage"
    # set employees' work schedules and the company's schedule templates (arbetstidsschema)
    SCHEDULES_MANAGE = "schedules.manage"
    # administration
    USERS_MANAGE = "users.manage"  # invite, edit and deactivate users below TOTAL; adjust time banks
    # The customer's own access (DESIGN.md rule 11): give the TOTAL licence, change or deactivate a
    # TOTAL user, invite anyone at all. Held by the company's own TOTAL users, never by a partner.
    USERS_MANAGE_TOTAL = "users.manage_total"
    # Confirm a staff member's personnummer (until BankID login exists): the firm vouches for the
    # identity that customers grant access to (tenancy.services.user_personnummer_verify).
    IDENTITY_VERIFY = "users.verify_identity"
    SETTINGS_MANAGE = "settings.manage"
    BALANCES_VIEW = "balances.view"
    BALANCES_TOPUP = "balances.topup"
    PARTNER_GRANTS_MANAGE = "partners.manage"
    AUDIT_VIEW = "audit.view"
    BILLING_VIEW = "billing.view"
    # the accounting firm's portal (issue 11), held in the firm's own account: every firm member sees
    # their own Mina samarbeten; these two are for the firm's administrators (TOTAL)
    COLLABORATIONS_VIEW_ALL = "partners.collaborations_view_all"  # the whole firm's list + who has access
    COLLABORATIONS_CREATE = "partners.collaborations_create"  # Skapa nytt samarbete
    # documents shared between a customer and its accounting firm: create folders, decide per folder who
    # of the customer may read or edit (the customer's TOTAL users and a FULL partner)
    DOCUMENTS_SHARE = "documents.share"
    # write in the portal's message channels as the accounting firm (or, as the customer's admin, read
    # every channel of the company)
    MESSAGES_PARTNER = "messages.partner"
    # book vouchers in the company's connected Fortnox / Visma eEkonomi and see the pushes (issue 10
    # item 8): the company's admin or its bookkeeper
    ACCOUNTING_SYSTEM = "accounting.system"
    # connect the company to Fortnox / Visma eEkonomi and disconnect it: which provider account the
    # company's books go to is the company's own decision (TOTAL), never its accounting firm's
    ACCOUNTING_SYSTEM_CONNECT = "accounting.system_connect"
    # bookkeeping (issue 10 items 6-7): account settings, fiscal years, vouchers (propose, post,
    # reverse) and SIE export — the bookkeeper's work: the company's TOTAL users and a FULL partner
    BOOKKEEPING = "bookkeeping.book"


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

# The partner levels as explicit allow-lists (DESIGN.md rule 11: never "everything minus …"). A
# permission added to Perm reaches no partner until it is written here or in NEVER_FOR_PARTNERS on
# purpose; tests/architecture/test_partner_permissions.py fails until one of them names it.
PARTNER_FULL = frozenset(
    {
        # the customer's time: attest anyone's, reopen, read (a partner has no time of its own)
        Perm.TIME_ATTEST,
        Perm.TIME_ATTEST_ALL,
        Perm.TIME_REOPEN,
        Perm.TIME_VIEW_ALL,
        # A FULL partner acting for the customer is its payroll clerk (issue 8 items 6 and 8): it
        # corrects employees' time on their behalf (never its own: rules.target_membership) and
        # closes the deviation period after payroll, as DOMAIN.md "Working time" lets a payroll clerk.
        Perm.TIME_REPORT_OTHERS,
        Perm.PERIOD_CLOSE,
        # projects and customers
        Perm.PROJECTS_VIEW,
        Perm.PROJECTS_CREATE,
        Perm.PROJECTS_MANAGE,
        Perm.PRICES_VIEW,
        Perm.CUSTOMERS_VIEW,
        Perm.CUSTOMERS_CREATE,
        Perm.LABELS_MANAGE,
        # people and payroll
        Perm.EMPLOYEES_VIEW,
        Perm.EMPLOYEE_SALARY_VIEW,
        Perm.PAYROLL_VIEW,
        Perm.EXPENSES_VIEW_ALL,
        # a payroll clerk at the firm keeps the employees' schedules that payroll is measured against
        Perm.SCHEDULES_MANAGE,
        # the admin pages (DOMAIN.md "fullständig": incl. admin pages): users below TOTAL only,
        # because USERS_MANAGE_TOTAL is not here (tenancy.services refuses the rest)
        Perm.USERS_MANAGE,
        Perm.SETTINGS_MANAGE,
        Perm.BALANCES_VIEW,
        Perm.BALANCES_TOPUP,
        Perm.AUDIT_VIEW,
        Perm.BILLING_VIEW,
        # the portal's Dokument and Meddelanden tabs (issue 11): what the firm shares with the customer
        Perm.DOCUMENTS_SHARE,
        Perm.MESSAGES_PARTNER,
        # the firm is the customer's bookkeeper: it books in the Fortnox/Visma the customer connected
        # (issue 10); connecting it is the customer's own (ACCOUNTING_SYSTEM_CONNECT, never a partner's)
        Perm.ACCOUNTING_SYSTEM,
        # the accounting firm keeps the customer's books (issue 10 item 9): vouchers and SIE under the grant
        Perm.BOOKKEEPING,
    }
)

# DOMAIN.md "begränsad": employees' contact and salary data (read-only), the payroll basis,
# receipts and expenses, and nothing else. The payroll basis reads the attested time it needs
# itself (PAYROLL_VIEW); reading everyone's time entries (TIME_VIEW_ALL) is more than that.
# The portal's Dokument and Meddelanden (DOCUMENTS_SHARE, MESSAGES_PARTNER) are not in DOMAIN.md's
# list, so a LIMITED partner sees only Löneunderlag, Privata utlägg and Inköp företagskort (issue 11).
PARTNER_LIMITED = frozenset(
    {
        Perm.EMPLOYEES_VIEW,
        Perm.EMPLOYEE_SALARY_VIEW,
        Perm.PAYROLL_VIEW,
        Perm.EXPENSES_VIEW_ALL,
    }
)

PARTNER_LEVEL_PERMS: dict[str, frozenset[Perm]] = {"FULL": PARTNER_FULL, "LIMITED": PARTNER_LIMITED}

# What no partner gets at any level, and why. Every Perm is in a partner allow-list or here.
NEVER_FOR_PARTNERS: dict[Perm, str] = {
    Perm.TIME_REPORT_OWN: "a partner has no time of its own in the customer's company",
    Perm.EXPENSES_OWN: "a partner has no outlays of its own in the customer's company",
    Perm.TIME_ATTEST_OWN: "a partner has no time of its own to attest",
    Perm.EXPENSE_RATES_MANAGE: "tax-free allowance rates are the company's own TOTAL users' (issue 10)",
    Perm.PARTNER_GRANTS_MANAGE: "only the customer's TOTAL users decide which firm people get in",
    Perm.USERS_MANAGE_TOTAL: "a partner never administers the customer's own access (rule 11)",
    Perm.IDENTITY_VERIFY: "only the firm's own TOTAL users vouch for their staff's identity",
    Perm.COLLABORATIONS_VIEW_ALL: "the firm's own portal overview; means nothing inside a customer",
    Perm.COLLABORATIONS_CREATE: "a firm creates collaborations from its own account, never as a customer",
    Perm.ACCOUNTING_SYSTEM_CONNECT: "a firm could point the customer's books at an account of its choosing",
}

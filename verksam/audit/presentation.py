"""How the audit log reads to a company's administrator: each action in words, the groups the log
can be filtered by, and an event's data as short "what: value" lines instead of stored JSON.

Every action a service records has a label here (tests/architecture/test_audit_actions.py)."""

import datetime as dt
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from verksam.accounts.models import RevokedReason
from verksam.core.duration import hm
from verksam.core.money import Money

ACTION_LABELS = {
    # expenses, mileage and per diem (issue 10)
    "expense_type.create": _("Expense type added"),
    "expense_type.update": _("Expense type changed"),
    "receipt.upload": _("Receipt uploaded"),
    "card.create": _("Company card added"),
    "card.update": _("Company card changed"),
    "card_purchase.create": _("Card purchase registered"),
    "card_purchase.update": _("Card purchase changed"),
    "card_purchase.submit": _("Card purchase submitted"),
    "card_purchase.attest": _("Card purchase attested"),
    "card_purchase.reject": _("Card purchase sent back"),
    "card_purchase.match": _("Receipt linked to a card statement line"),
    "card_purchase.book": _("Card purchase booked"),
    "card_statement.import": _("Card statement imported"),
    "expense.create": _("Outlay registered"),
    "expense.update": _("Outlay changed"),
    "allowance_rate.save": _("Mileage or per diem rate saved"),
    "trip.create": _("Trip registered"),
    "trip.update": _("Trip changed"),
    "perdiem.create": _("Per diem registered"),
    "perdiem.update": _("Per diem changed"),
    "expenses.install_defaults": _("Default expense types and rates installed"),
    "expense.submit": _("Outlay submitted"),
    "expense.withdraw": _("Outlay withdrawn"),
    "expense.attest": _("Outlay attested"),
    "expense.reject": _("Outlay sent back"),
    "expense.reopen": _("Outlay reopened"),
    "expense.delete": _("Outlay deleted"),
    "trip.submit": _("Trip submitted"),
    "trip.withdraw": _("Trip withdrawn"),
    "trip.attest": _("Trip attested"),
    "trip.reject": _("Trip sent back"),
    "trip.reopen": _("Trip reopened"),
    "trip.delete": _("Trip deleted"),
    "perdiem.submit": _("Per diem submitted"),
    "perdiem.withdraw": _("Per diem withdrawn"),
    "perdiem.attest": _("Per diem attested"),
    "perdiem.reject": _("Per diem sent back"),
    "perdiem.reopen": _("Per diem reopened"),
    "perdiem.delete": _("Per diem deleted"),
    "tenant.create": _("Company created"),
    "membership.invite": _("User invited"),
    "membership.update": _("User changed"),
    "membership.approver_reassign": _("Employees moved to a new approver"),
    "invitation.accept": _("Invitation accepted"),
    "invitation.decline": _("Invitation declined"),
    "invitation.resend": _("Invitation sent again"),
    "invitation.renew": _("New invitation link asked for"),
    "invitation.revoke": _("Invitation withdrawn"),
    "partner_grant.create": _("Accounting-firm partner added"),
    "partner_grant.revoke": _("Accounting-firm partner removed"),
    "collaboration.create": _("Collaboration created for a new customer"),
    "document_folder.create": _("Document folder created"),
    "document_folder.update": _("Document folder changed"),
    "document_folder.delete": _("Document folder deleted"),
    "document_folder.restore": _("Document folder restored"),
    "document.upload": _("Document uploaded"),
    "document.version": _("New version of a document uploaded"),
    "document.rename": _("Document renamed"),
    "document.move": _("Document moved"),
    "document.delete": _("Document deleted"),
    "document.restore": _("Document restored"),
    "message.post": _("Message sent to or from the accounting firm"),
    "user.personnummer_change": _("Personnummer changed"),
    "user.personnummer_verify": _("Personnummer confirmed"),
    "balance.topup_start": _("Top-up started"),
    "balance.topup_confirm": _("Top-up paid"),
    "balance.topup_cancel": _("Top-up cancelled"),
    "accounting.connected": _("Accounting system connected"),
    "accounting.disconnected": _("Accounting system disconnected"),
    "accounting.revoked": _("Access revoked at the accounting system"),
    "accounting.revoke_failed": _("Access could not be revoked at the accounting system"),
    "accounting.push_queued": _("Voucher queued for the accounting system"),
    "accounting.push_retried": _("Voucher queued again for the accounting system"),
    "accounting.push_sent": _("Voucher booked in the accounting system"),
    "accounting.push_failed": _("Voucher could not be booked in the accounting system"),
    "project.create": _("Project created"),
    "project.update": _("Project changed"),
    "project.complete": _("Project completed"),
    "project.reopen": _("Project reopened"),
    "project.member_add": _("Person added to the project"),
    "project.member_remove": _("Person removed from the project"),
    "time.entry_create": _("Time reported"),
    "time.entry_update": _("Time entry changed"),
    "time.entry_delete": _("Time entry deleted"),
    "time.copy_week": _("Last week copied"),
    "time.lock": _("Time locked"),
    "time.unlock": _("Time unlocked"),
    "time.attest": _("Time attested"),
    "time.attest_bulk": _("All locked time attested"),
    "time.reject": _("Time rejected"),
    "time.reopen": _("Attested time reopened"),
    "time.bank_adjust": _("Time bank adjusted"),
    "time.timer_start": _("Timer started"),
    "time.timer_stop": _("Timer stopped and saved as time"),
    "period.close": _("Deviation period closed"),
    "payroll.selection_set": _("Employees chosen for the payroll basis"),
    "payroll.basis_print": _("Payroll basis printed"),
    "period.reopen": _("Closed deviation period reopened"),
    "period.correction_handled": _("Reopened period carried by a payroll correction file"),
    "payroll.export_start": _("Payroll file requested"),
    "payroll.export_done": _("Payroll file made"),
    "payroll.export_download": _("Payroll file downloaded"),
    "time.absence_range_create": _("Absence registered for a date range"),
    "time.absence_range_update": _("Absence range changed"),
    "time.absence_range_delete": _("Absence range deleted"),
    "delegation.create": _("Substitute approver appointed"),
    "delegation.revoke": _("Substitute approver removed"),
    "time_settings.update": _("Time settings changed"),
    "timecodes.install_defaults": _("Standard time codes installed"),
    "schedules.install_defaults": _("Standard schedule templates installed"),
    "schedule.set": _("Work schedule set"),
    "schedule.delete": _("Work schedule removed"),
    "bookkeeping.settings": _("Booking accounts changed"),
    "bookkeeping.cost_account": _("Cost account set"),
    "bookkeeping.fiscal_year": _("Fiscal year added"),
    "bookkeeping.voucher_create": _("Voucher draft saved"),
    "bookkeeping.voucher_propose": _("Booking proposal saved"),
    "bookkeeping.voucher_post": _("Voucher posted"),
    "bookkeeping.voucher_delete": _("Voucher draft deleted"),
    "bookkeeping.voucher_reverse": _("Voucher reversed"),
    "bookkeeping.sie_export": _("SIE file exported"),
    "schedule_template.create": _("Schedule template added"),
    "schedule_template.update": _("Schedule template changed"),
    "time_code.create": _("Time code added"),
    "time_code.update": _("Time code changed"),
    "absence_type.create": _("Absence type added"),
    "absence_type.update": _("Absence type changed"),
    "activity.create": _("Activity added"),
    "activity.update": _("Activity changed"),
    "payroll_code.set": _("Payroll code set"),
    "payroll_code.clear": _("Payroll code removed"),
    "timecodes.fix_defaults": _("Default codes corrected"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
}

# key → (label, action prefixes); the log's filter offers these.
GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "users": (
        _("Users and partners"),
        ("tenant.", "membership.", "invitation.", "partner_grant.", "user.", "api_token.", "collaboration."),
    ),
    "balances": (_("Balances"), ("balance.",)),
    "accounting": (_("Accounting system"), ("accounting.",)),
    "documents": (_("Documents and messages"), ("document.", "document_folder.", "message.")),
    "projects": (_("Projects"), ("project.",)),
    "time": (_("Time reporting and attestation"), ("time.", "delegation.", "period.")),
    "payroll": (_("Payroll"), ("payroll.",)),
    "bookkeeping": (_("Bookkeeping"), ("bookkeeping.",)),
    "expenses": (
        _("Expenses and trips"),
        (
            "expense.",
            "expense_type.",
            "expenses.",
            "receipt.",
            "trip.",
            "perdiem.",
            "allowance_rate.",
            "card.",
            "card_purchase.",
            "card_statement.",
        ),
    ),
    "settings": (
        _("Time settings"),
        (
            "time_settings.",
            "timecodes.",
            "time_code.",
            "absence_type.",
            "activity.",
            "payroll_code.",
            "schedules.",
            "schedule.",
            "schedule_template.",
        ),
    ),
}


# the data's keys most events carry; others show as stored
FIELD_LABELS = {
    "name": _("Name"),
    "number": _("Number"),
    "email": _("E-mail"),
    "licence": _("Licence"),
    "level": _("Level"),
    "approver": _("Approver"),
    "user": _("User"),
    "status": _("Status"),
    "kind": _("Type"),
    "customer_name": _("Customer"),
    "pricing_type": _("Pricing"),
    "hourly_rate_ore": _("Hourly rate"),
    "fixed_price_ore": _("Fixed price"),
    "site_address": _("Address"),
    "site_postcode": _("Postcode"),
    "site_city": _("City"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "date": _("Date"),
    "dates": _("Dates"),
    "started_at": _("Started at"),
    "minutes": _("Time"),
    "work_day_minutes": _("Working day"),
    "expires_at": _("Link valid until"),
    "comment": _("Comment"),
    "reason": _("Reason"),
    "code": _("Code"),
    "amount_ore": _("Amount"),
    "quantity": _("Quantity"),
    "personnummer": _("Personnummer"),
    "was_confirmed": _("Was confirmed"),
    "prefix": _("Starts with"),
    "expires": _("Expires"),
    "revocation": _("Revoked because"),
    "withdrawn_because": _("Withdrawn because"),
    "manager": _("Project manager"),
    "variant": _("Variant"),
    "employment_number": _("Employment number"),
    "salary_form": _("Salary form"),
    "time_codes": _("Time codes"),
    "absence_types": _("Absence types"),
    "activities": _("Activities"),
    "valid_from": _("Valid from"),
    "template": _("Template"),
    "percent": _("Part-time percentage"),
    "monday_minutes": _("Monday"),
    "tuesday_minutes": _("Tuesday"),
    "wednesday_minutes": _("Wednesday"),
    "thursday_minutes": _("Thursday"),
    "friday_minutes": _("Friday"),
    "saturday_minutes": _("Saturday"),
    "sunday_minutes": _("Sunday"),
    "employees": _("Employees"),
    "period": _("Deviation period"),
    "absence_type": _("Type of absence"),
    "extent": _("Extent (%)"),
    "days": _("Working days"),
    "time_bank_factor_pct": _("Time bank factor (hundredths)"),
    "allow_negative_time_bank": _("Allow a negative time bank"),
    "excess_time_rule": _("Time beyond the schedule"),
    "changes": _("Changes"),
    "attachments": _("Attachments"),
    "channel": _("Channel"),
    "content_type": _("File type"),
    "customer_access": _("The customer's access"),
    "documents": _("Documents"),
    "folder": _("Folder"),
    "from": _("From"),
    "to": _("To"),
    "size": _("Size"),
    "version": _("Version"),
    "is_active": _("Active"),
    "phone": _("Mobile phone"),
    "project": _("Project"),
    "member": _("Person"),
    "note": _("Note"),
}

# Stored codes in words: `{data key: {stored value: label}}`. The web layer adds the choices of the
# apps above audit (projects' pricing types…) through details(choices=…).
Choices = dict[str, dict[str, Any]]

# stored codes of `withdrawn_because` (an invitation withdrawn by the system)
WITHDRAWN_BECAUSE = {"partner_grant_revoked": _("the accounting firm's access was revoked")}


_RANK = {key: i for i, key in enumerate(FIELD_LABELS)}


def action_label(action: str) -> str:
    """The action in words; an action without a label (an old one) shows as stored."""
    return str(ACTION_LABELS.get(action, action))


def _is_integer(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.lstrip("-").isdigit()
    )


def _field(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


DATE_KEYS = {"date", "dates", "start_date", "end_date", "valid_from", "day", "days_list"}
MANY_DATES = 5  # more dates than this read as "60 days, 17 aug 2026 – 8 nov 2026"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _day(day: dt.date) -> str:
    return date_format(day, "j b Y")  # as the web's `day` filter writes it


def _dates(values: list) -> str | None:
    """A list of ISO dates in the UI's date style ("1 dec 2026"); a long list as its count and span."""
    parsed = [_as_date(v) for v in values]
    days = sorted(d for d in parsed if d is not None)
    if not days or len(days) != len(parsed):
        return None
    if len(days) > MANY_DATES:
        return str(
            ngettext("%(count)s day, %(first)s – %(last)s", "%(count)s days, %(first)s – %(last)s", len(days))
            % {"count": len(days), "first": _day(days[0]), "last": _day(days[-1])}
        )
    return ", ".join(_day(d) for d in days)


def _value(key: str, value: Any, choices: Choices | None = None) -> str:
    if value is None or value == "":
        return "–"
    if key in DATE_KEYS:
        if isinstance(value, list) and (text := _dates(value)) is not None:
            return text
        if (day := _as_date(value)) is not None:
            return _day(day)
    labels = (choices or {}).get(key)
    if labels and isinstance(value, str) and value in labels:
        return str(labels[value])
    if key == "revocation":
        return str(RevokedReason(value).label) if value in RevokedReason.values else str(value)
    if key == "withdrawn_because":
        return str(WITHDRAWN_BECAUSE.get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if key == "size" and _is_integer(value):
        return filesizeformat(int(value))
    if key.endswith(("minutes", "_ore")) and _is_integer(value):
        # services store some numbers as text (str(value) of a form's field)
        return hm(int(value)) if key.endswith("minutes") else Money(int(value)).format_sv()
    if isinstance(value, list):
        return ", ".join(_value(key, item, choices) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_field(k)}: {_value(k, v, choices)}" for k, v in value.items() if _shown(k))
    return str(value)


def _shown(key: str) -> bool:
    # `…_id(s)` keys are references for machines (the log shows the names stored beside them)
    return not key.endswith(("_id", "_ids"))


def details(data: dict[str, Any], choices: Choices | None = None) -> list[tuple[str, str]]:
    """(what, value) lines for an event's data: a change reads "before → after" for the fields that
    changed only, stored codes read as words, and empty values of a created object are left out."""
    if "reported_by" in data and "reported_for" in data:
        # time written on someone's behalf (issue 8 item 6): "reported by X for Y", both by name
        rest = {k: v for k, v in data.items() if k not in ("reported_by", "reported_for")}
        behalf = _("reported by %(by)s for %(for)s") % {
            "by": data["reported_by"],
            "for": data["reported_for"],
        }
        return [(str(_("On behalf")), str(behalf)), *details(rest, choices)]
    before, after = data.get("before"), data.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        lines = [
            (_field(key), f"{_value(key, value, choices)} → {_value(key, after.get(key), choices)}")
            for key, value in before.items()
            if _shown(key) and value != after.get(key)
        ]
        rest = {k: v for k, v in data.items() if k not in ("before", "after")}
        return lines + details(rest, choices)
    if isinstance(after, dict):
        # created: no "before", the new values are the details
        rest = {k: v for k, v in data.items() if k not in ("before", "after")}
        return details(after, choices) + details(rest, choices)
    # in the order of FIELD_LABELS, the rest by name: PostgreSQL's jsonb does not keep the stored order
    ordered = sorted(data.items(), key=lambda item: (_RANK.get(item[0], len(_RANK)), item[0]))
    return [
        (_field(key), _value(key, value, choices))
        for key, value in ordered
        if _shown(key) and value not in (None, "", [], {})
    ]

"""Writes of bookkeeping (issue 10 item 6): account settings, fiscal years, and vouchers — proposed
from an expense or card purchase, posted with a gap-free number, reversed by a new voucher. Every
write checks Perm.BOOKKEEPING, validates before it writes and is audited in the same transaction.

Other apps call `voucher_propose` / `voucher_post` / `voucher_reverse` with dto values and ids and
get `VoucherOut` back; they never touch this app's models."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core import bounds
from verksam.core.db import conflict_on_duplicate
from verksam.core.errors import Conflict, DomainError, NotFound
from verksam.core.sequences import next_number
from verksam.projects import selectors as projects
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from . import selectors
from .bas import DEFAULT_COST_ACCOUNTS
from .dto import VAT_RATES, BookingIn, BookingKind, RowOut, SourceRef, VoucherOut
from .models import (
    AccountSettings,
    CostAccount,
    FiscalYear,
    Voucher,
    VoucherNumber,
    VoucherRow,
    VoucherStatus,
)
from .proposals import ProposalError, is_account, propose

MAX_ROWS = 500


def _validated_save(obj, *, code: str, exclude: tuple[str, ...] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude) or None)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code=code) from exc
    obj.save()


def _check_account(value: str, field: str) -> str:
    value = (value or "").strip()
    if not is_account(value):
        raise DomainError(
            _("%(value)s is not an account number (four digits).") % {"value": value or "–"},
            code="invalid_account",
            extra={"field": field},
        )
    return value


def _check_series(value: str, field: str) -> str:
    value = (value or "").strip().upper()
    if not value or len(value) > 10 or not value.isalnum():
        raise DomainError(
            _("A voucher series is 1–10 letters or digits."), code="invalid_series", extra={"field": field}
        )
    return value


# --- settings ------------------------------------------------------------------------------------

SETTINGS_ACCOUNTS = ("input_vat_account", "outlay_liability_account", "bank_account")
SETTINGS_SERIES = ("outlay_series", "card_series", "manual_series")


@transaction.atomic
def account_settings_update(*, actor: Actor, **changes: str) -> AccountSettings:
    """Change the company's booking accounts and voucher series (the card settlement account may be blank)."""
    actor.require(Perm.BOOKKEEPING)
    row = AccountSettings.objects.select_for_update().first() or AccountSettings(tenant_id=actor.tenant_id)
    before = {f: getattr(row, f) for f in (*SETTINGS_ACCOUNTS, "card_settlement_account", *SETTINGS_SERIES)}
    for name, value in changes.items():
        if name in SETTINGS_ACCOUNTS:
            setattr(row, name, _check_account(value, name))
        elif name == "card_settlement_account":
            setattr(row, name, _check_account(value, name) if (value or "").strip() else "")
        elif name in SETTINGS_SERIES:
            setattr(row, name, _check_series(value, name))
        else:
            raise DomainError(_("Unknown setting."), code="invalid", extra={"field": name})
    _validated_save(row, code="invalid_settings")
    after = {f: getattr(row, f) for f in before}
    record(
        actor=actor,
        action="bookkeeping.settings",
        target=row,
        label="account settings",
        data={"before": before, "after": after},
    )
    return row


@transaction.atomic
def cost_account_save(*, actor: Actor, key: str, name: str, account: str) -> CostAccount:
    """Set the cost account of a kind of expense (added when new); the defaults are kept on first change."""
    actor.require(Perm.BOOKKEEPING)
    _ensure_cost_accounts(actor)
    key = (key or "").strip().lower()
    if not key or not key.replace("_", "").replace("-", "").isalnum() or len(key) > 40:
        raise DomainError(
            _("A key is 1–40 letters, digits or dashes."), code="invalid_key", extra={"field": "key"}
        )
    if not (name or "").strip():
        raise DomainError(_("Give the kind of expense a name."), code="invalid_name", extra={"field": "name"})
    row = CostAccount.objects.filter(key=key).first() or CostAccount(tenant_id=actor.tenant_id, key=key)
    row.name = name.strip()[:100]
    row.account = _check_account(account, "account")
    _validated_save(row, code="invalid_cost_account")
    record(
        actor=actor, action="bookkeeping.cost_account", target=row, data={"key": key, "account": row.account}
    )
    return row


def _ensure_cost_accounts(actor: Actor) -> None:
    if not CostAccount.objects.exists():
        CostAccount.objects.bulk_create(
            CostAccount(tenant_id=actor.tenant_id, key=k, name=n, account=a)
            for k, n, a in DEFAULT_COST_ACCOUNTS
        )


# --- fiscal years --------------------------------------------------------------------------------


def _overlapping(start: dt.date, end: dt.date) -> bool:
    return FiscalYear.objects.filter(start__lte=end, end__gte=start).exists()


@transaction.atomic
def fiscal_year_create(*, actor: Actor, start: dt.date, end: dt.date | None = None) -> FiscalYear:
    """Add a fiscal year (by default the calendar year of `start`); years never overlap and last at
    most 18 months (Bokföringslagen 3 kap. 3 §)."""
    actor.require(Perm.BOOKKEEPING)
    bounds.check_calendar_date(start, field="start")
    end = bounds.check_calendar_date(end or dt.date(start.year, 12, 31), field="end")
    if end <= start:
        raise DomainError(
            _("The fiscal year must end after it starts."), code="invalid_fiscal_year", extra={"field": "end"}
        )
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months > 18:
        raise DomainError(
            _("A fiscal year is at most 18 months."), code="invalid_fiscal_year", extra={"field": "end"}
        )
    if _overlapping(start, end):
        raise Conflict(_("The fiscal year overlaps another one."), code="fiscal_year_overlap")
    year = FiscalYear(tenant_id=actor.tenant_id, start=start, end=end)
    with conflict_on_duplicate(_("The fiscal year overlaps another one."), code="fiscal_year_overlap"):
        _validated_save(year, code="invalid_fiscal_year")
    record(
        actor=actor,
        action="bookkeeping.fiscal_year",
        target=year,
        data={"start": str(start), "end": str(end)},
    )
    return year


def _fiscal_year_for(actor: Actor, day: dt.date) -> FiscalYear:
    """The fiscal year of `day`; the calendar year is added when no year covers it and it fits."""
    year = selectors.fiscal_year_on(day)
    if year is not None:
        return year
    start, end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if _overlapping(start, end):
        raise DomainError(
            _("%(date)s is in no fiscal year; add the fiscal year first.") % {"date": day.isoformat()},
            code="no_fiscal_year",
            extra={"field": "date"},
        )
    return fiscal_year_create(actor=actor, start=start, end=end)


# --- vouchers ------------------------------------------------------------------------------------


def check_rows(rows: Sequence[RowOut]) -> None:
    """Refuse rows that are no voucher: fewer than two, a row without exactly one of debit or
    credit, an unknown account or VAT rate, or rows that do not balance to 0."""
    if len(rows) < 2:
        raise DomainError(
            _("A voucher needs at least two rows."), code="voucher_rows", extra={"field": "rows"}
        )
    if len(rows) > MAX_ROWS:
        raise DomainError(_("A voucher has at most %(n)d rows.") % {"n": MAX_ROWS}, code="voucher_rows")
    for index, row in enumerate(rows):
        _check_account(row.account, f"rows.{index}.account")
        if (row.debit_ore > 0) == (row.credit_ore > 0) or row.debit_ore < 0 or row.credit_ore < 0:
            raise DomainError(
                _("Row %(n)d needs either a debit or a credit, more than 0.") % {"n": index + 1},
                code="voucher_row_amount",
                extra={"field": f"rows.{index}"},
            )
        if row.vat_rate is not None and row.vat_rate not in VAT_RATES:
            raise DomainError(
                _("VAT rates are 25, 12, 6 and 0 %."), code="vat_rate", extra={"field": f"rows.{index}"}
            )
    balance = sum(r.amount_ore for r in rows)
    if balance:
        raise DomainError(
            _("The voucher does not balance: debit and credit differ by %(amount)s kr.")
            % {"amount": f"{abs(balance) / 100:.2f}".replace(".", ",")},
            code="voucher_unbalanced",
            extra={"difference_ore": balance},
        )


def _check_projects(rows: Sequence[RowOut]) -> None:
    """Refuse a row whose project is not one of the company's (another company's id is unknown here)."""
    wanted = {r.project_id for r in rows if r.project_id is not None}
    if wanted and set(projects.projects_by_id(wanted)) != wanted:
        raise DomainError(_("The project does not exist."), code="invalid_project", extra={"field": "rows"})


def _create(
    *,
    actor: Actor,
    date: dt.date,
    text: str,
    series: str,
    rows: Sequence[RowOut],
    source: SourceRef | None,
    receipt_ref: str,
    reverses: Voucher | None = None,
) -> Voucher:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Give the voucher a text."), code="voucher_text", extra={"field": "text"})
    check_rows(rows)
    _check_projects(rows)
    bounds.check_business_date(date)  # 2000 … a year ahead: no voucher in year 1 or 9999
    voucher = Voucher(
        tenant_id=actor.tenant_id,
        fiscal_year=_fiscal_year_for(actor, date),
        series=_check_series(series, "series"),
        date=date,
        text=text[:200],
        source_app=source.app[:50] if source else "",
        source_id=str(source.object_id)[:64] if source else "",
        source_text=source.description[:200] if source else "",
        receipt_ref=(receipt_ref or "")[:200],
        reverses=reverses,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    # the foreign keys are the service's own (scoped) objects, checked for the tenant by
    # TenantOwned.clean; Django's per-key existence queries would only repeat that
    _validated_save(
        voucher, code="invalid_voucher", exclude=("tenant", "fiscal_year", "created_by", "reverses")
    )
    rows_saved = VoucherRow.objects.bulk_create(
        VoucherRow(
            tenant_id=actor.tenant_id,
            voucher=voucher,
            position=i,
            account=r.account,
            debit_ore=r.debit_ore,
            credit_ore=r.credit_ore,
            vat_rate=r.vat_rate,
            text=r.text[:200],
            project_id=r.project_id,
        )
        for i, r in enumerate(rows)
    )
    # what was written, so voucher_out reads no rows back
    voucher._prefetched_objects_cache = {"rows": rows_saved}  # type: ignore[attr-defined]
    return voucher


@transaction.atomic
def voucher_create(
    *,
    actor: Actor,
    date: dt.date,
    text: str,
    rows: Sequence[RowOut],
    series: str = "",
    source: SourceRef | None = None,
    receipt_ref: str = "",
    post: bool = False,
) -> VoucherOut:
    """Save a voucher of balanced rows (manual series unless another is named) as a draft, or with
    `post` post it in the same transaction: rows that do not balance leave nothing written."""
    actor.require(Perm.BOOKKEEPING)
    series = series or selectors.account_settings().manual_series
    voucher = _create(
        actor=actor, date=date, text=text, series=series, rows=rows, source=source, receipt_ref=receipt_ref
    )
    record(actor=actor, action="bookkeeping.voucher_create", target=voucher, data={"rows": len(rows)})
    if post:
        _post(actor, voucher)
        record(
            actor=actor,
            action="bookkeeping.voucher_post",
            target=voucher,
            data={"series": voucher.series, "number": voucher.number},
        )
    return selectors.voucher_out(voucher)


@transaction.atomic
def voucher_propose(*, actor: Actor, booking: BookingIn) -> VoucherOut:
    """Save the booking proposal of an expense or card purchase as a draft in its series; a source
    that already has a standing voucher gets that one back (never booked twice)."""
    actor.require(Perm.BOOKKEEPING)
    if booking.source is not None:
        existing = selectors.voucher_for_source(source=booking.source)
        if existing is not None:
            return existing
    settings = selectors.account_settings()
    try:
        proposal = propose(booking, selectors.accounts_dto(settings))
    except ProposalError as exc:
        raise DomainError(
            _("The booking cannot be proposed: %(reason)s") % {"reason": exc}, code="proposal"
        ) from exc
    series = settings.outlay_series if booking.kind == BookingKind.OUTLAY else settings.card_series
    voucher = _create(
        actor=actor,
        date=booking.date,
        text=booking.text,
        series=series,
        rows=proposal.rows,
        source=booking.source,
        receipt_ref=booking.receipt_ref,
    )
    record(
        actor=actor,
        action="bookkeeping.voucher_propose",
        target=voucher,
        data={
            "kind": str(booking.kind),
            "source": [booking.source.app, booking.source.object_id] if booking.source else None,
        },
    )
    return selectors.voucher_out(voucher)


def _locked(voucher_id: int) -> Voucher:
    voucher = Voucher.objects.select_for_update().filter(pk=voucher_id).first()
    if voucher is None:
        raise NotFound(_("The voucher does not exist."))
    return voucher


def _post(actor: Actor, voucher: Voucher) -> Voucher:
    voucher.number = next_number(
        VoucherNumber,
        tenant_id=voucher.tenant_id,
        fiscal_year_id=voucher.fiscal_year_id,
        series=voucher.series,
    )
    voucher.status = VoucherStatus.POSTED
    voucher.posted_at = timezone.now()
    voucher.posted_by = actor.user if getattr(actor.user, "pk", None) else None
    Voucher.objects.filter(pk=voucher.pk, status=VoucherStatus.DRAFT).update(
        number=voucher.number, status=voucher.status, posted_at=voucher.posted_at, posted_by=voucher.posted_by
    )
    return voucher


@transaction.atomic
def voucher_post(*, actor: Actor, voucher_id: int) -> VoucherOut:
    """Post a draft: it takes the next gap-free number of its series and fiscal year, then never changes."""
    actor.require(Perm.BOOKKEEPING)
    voucher = _locked(voucher_id)
    if voucher.is_posted:
        raise Conflict(
            _("The voucher %(label)s is already posted.") % {"label": voucher}, code="voucher_posted"
        )
    check_rows([selectors.row_out(r) for r in voucher.rows.all()])  # the rows were never changed since
    _post(actor, voucher)
    record(
        actor=actor,
        action="bookkeeping.voucher_post",
        target=voucher,
        data={"series": voucher.series, "number": voucher.number},
    )
    return selectors.voucher_out(voucher)


@transaction.atomic
def voucher_delete(*, actor: Actor, voucher_id: int) -> None:
    """Delete a draft; a posted voucher stays (it is corrected with a reversal)."""
    actor.require(Perm.BOOKKEEPING)
    voucher = _locked(voucher_id)
    if voucher.is_posted:
        raise Conflict(_("A posted voucher cannot be changed; reverse it instead."), code="voucher_posted")
    record(actor=actor, action="bookkeeping.voucher_delete", target=voucher, data={"text": voucher.text})
    voucher.delete()


@transaction.atomic
def voucher_reverse(
    *, actor: Actor, voucher_id: int, date: dt.date | None = None, text: str = ""
) -> VoucherOut:
    """Correct a posted voucher with a new posted voucher in the same series whose rows cancel it."""
    actor.require(Perm.BOOKKEEPING)
    original = _locked(voucher_id)
    if not original.is_posted:
        raise Conflict(_("Only a posted voucher is reversed; delete a draft instead."), code="voucher_draft")
    if original.reverses_id is not None:
        raise Conflict(
            _("A reversal is not reversed again; book the right amounts anew."), code="voucher_reversal"
        )
    if Voucher.objects.filter(reverses_id=original.pk).exists():
        raise Conflict(
            _("The voucher %(label)s is already reversed.") % {"label": original}, code="voucher_reversed"
        )
    rows = [
        RowOut(r.account, r.credit_ore, r.debit_ore, r.vat_rate, r.text, project_id=r.project_id)
        for r in original.rows.all()
    ]
    reversal = _create(
        actor=actor,
        date=date or timezone.localdate(),
        text=text or _("Reversal of %(label)s: %(text)s") % {"label": original, "text": original.text},
        series=original.series,
        rows=rows,
        source=SourceRef(original.source_app, original.source_id, original.source_text)
        if original.source_app
        else None,
        receipt_ref="",
        reverses=original,
    )
    _post(actor, reversal)
    record(
        actor=actor,
        action="bookkeeping.voucher_reverse",
        target=original,
        data={"reversal": str(reversal), "reversal_id": reversal.pk},
    )
    return selectors.voucher_out(reversal)

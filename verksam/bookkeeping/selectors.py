"""Reads of bookkeeping: settings, fiscal years, vouchers (list with constant queries, one voucher
with its rows) and the streams the SIE export is written from."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from verksam.tenancy.models import Tenant
from verksam.tenancy.scope import current_tenant_ids

from .bas import BAS_NAMES, DEFAULT_COST_ACCOUNTS, account_name
from .dto import Accounts, RowOut, SourceRef, VoucherOut
from .models import AccountSettings, CostAccount, FiscalYear, Voucher, VoucherRow, VoucherStatus


def account_settings() -> AccountSettings:
    """The company's settings, or the BAS defaults (unsaved) when never changed."""
    found = AccountSettings.objects.first()
    if found is not None:
        return found
    return AccountSettings(tenant_id=current_tenant_ids()[0])


def accounts_dto(settings: AccountSettings) -> Accounts:
    return Accounts(
        input_vat=settings.input_vat_account,
        outlay_liability=settings.outlay_liability_account,
        bank=settings.bank_account,
        card_settlement=settings.card_settlement_account,
    )


def cost_accounts() -> list[CostAccount]:
    """The company's cost accounts per kind of expense, or the defaults (unsaved) when none are kept."""
    rows = list(CostAccount.objects.order_by("account", "key"))
    if rows:
        return rows
    tenant_id = current_tenant_ids()[0]
    return [CostAccount(tenant_id=tenant_id, key=k, name=n, account=a) for k, n, a in DEFAULT_COST_ACCOUNTS]


def account_choices() -> list[tuple[str, str]]:
    """The accounts offered when a voucher is entered by hand, (number, name) by number: the
    company's booking accounts and cost accounts, then the BAS accounts the booking rules know
    (any other four-digit account may still be typed)."""
    settings = account_settings()
    own = {c.account: c.name for c in cost_accounts()}
    numbers = set(BAS_NAMES) | set(own)
    numbers |= {settings.input_vat_account, settings.outlay_liability_account, settings.bank_account}
    numbers |= {settings.card_settlement_account} - {""}
    return [(n, account_name(n, own)) for n in sorted(numbers)]


def cost_account_for(key: str) -> str:
    """The cost account of a kind of expense ("fuel" → "5611"); blank when the company has none."""
    return next((c.account for c in cost_accounts() if c.key == key), "")


def fiscal_years() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.order_by("-start")


def fiscal_year_get(*, fiscal_year_id: int) -> FiscalYear | None:
    return FiscalYear.objects.filter(pk=fiscal_year_id).first()


def fiscal_year_on(day: dt.date) -> FiscalYear | None:
    return FiscalYear.objects.filter(start__lte=day, end__gte=day).first()


@dataclass(frozen=True)
class VoucherFilter:
    series: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    fiscal_year_id: int | None = None


def _filtered(flt: VoucherFilter) -> QuerySet[Voucher]:
    qs = Voucher.objects.all()
    if flt.series:
        qs = qs.filter(series=flt.series)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.date_from:
        qs = qs.filter(date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(date__lte=flt.date_to)
    if flt.fiscal_year_id:
        qs = qs.filter(fiscal_year_id=flt.fiscal_year_id)
    return qs


def voucher_list(flt: VoucherFilter | None = None) -> QuerySet[Voucher]:
    """Vouchers newest first (one query, any length); page them, then `with_debit_totals`."""
    qs = _filtered(flt or VoucherFilter()).select_related("reversed_by", "reverses")
    return qs.order_by("-date", "series", "-number", "-pk")


def with_debit_totals(vouchers: list[Voucher]) -> list[Voucher]:
    """Set `debit_total_ore` on a page of vouchers in one query (summing only that page's rows, not
    the whole book as an aggregate over the unpaged list would)."""
    totals = dict(
        VoucherRow.objects.filter(voucher_id__in=[v.pk for v in vouchers])
        .values("voucher_id")
        .annotate(total=Sum("debit_ore"))
        .values_list("voucher_id", "total")
    )
    for v in vouchers:
        v.debit_total_ore = totals.get(v.pk, 0)  # type: ignore[attr-defined]
    return vouchers


def voucher_series() -> list[str]:
    return sorted(set(Voucher.objects.values_list("series", flat=True).distinct()))


def voucher_get(*, voucher_id: int) -> Voucher | None:
    return (
        Voucher.objects.select_related("fiscal_year", "reversed_by", "reverses", "created_by", "posted_by")
        .prefetch_related(
            Prefetch("rows", queryset=VoucherRow.objects.select_related("project").order_by("position", "pk"))
        )
        .filter(pk=voucher_id)
        .first()
    )


def row_out(row: VoucherRow) -> RowOut:
    return RowOut(
        row.account, row.debit_ore, row.credit_ore, row.vat_rate, row.text, project_id=row.project_id
    )


def voucher_out(voucher: Voucher) -> VoucherOut:
    """A voucher (rows prefetched or fetched) as the dto other apps get."""
    return VoucherOut(
        id=voucher.pk,
        series=voucher.series,
        number=voucher.number,
        date=voucher.date,
        text=voucher.text,
        status=voucher.status,
        fiscal_year_id=voucher.fiscal_year_id,
        rows=tuple(row_out(r) for r in voucher.rows.all()),
        source=SourceRef(voucher.source_app, voucher.source_id, voucher.source_text)
        if voucher.source_app
        else None,
        receipt_ref=voucher.receipt_ref,
        registered=timezone.localdate(voucher.posted_at) if voucher.posted_at else None,
    )


def voucher_for_source(*, source: SourceRef) -> VoucherOut | None:
    """The source's voucher that stands (a draft, or posted and not reversed), if any."""
    voucher = (
        Voucher.objects.filter(source_app=source.app, source_id=source.object_id, reversed_by__isnull=True)
        .exclude(reverses__isnull=False)
        .prefetch_related("rows")
        .order_by("-pk")
        .first()
    )
    return voucher_out(voucher) if voucher else None


# --- SIE export streams -------------------------------------------------------------------------


def export_selection(
    *, voucher_ids: list[int] | None = None, flt: VoucherFilter | None = None
) -> QuerySet[Voucher]:
    """The posted vouchers chosen for a SIE export: by id (another tenant's ids simply match nothing)
    or by a filter."""
    # plain filters (no aggregates): the selection is used as a subquery of the row stream
    qs = _filtered(flt or VoucherFilter()).filter(status=VoucherStatus.POSTED)
    if voucher_ids is not None:
        qs = qs.filter(pk__in=voucher_ids)
    return qs


def export_accounts(selection: QuerySet[Voucher]) -> dict[str, str]:
    """Every account the chosen vouchers use → its name (one query)."""
    own = {c.account: c.name for c in CostAccount.objects.all()}
    numbers = (
        VoucherRow.objects.filter(voucher__in=selection.values("pk"))
        .values_list("account", flat=True)
        .distinct()
    )
    return {n: account_name(n, own) for n in numbers}


def export_projects(selection: QuerySet[Voucher]) -> dict[str, str]:
    """Every project the chosen vouchers' rows carry, number → name (one query; SIE #OBJEKT 6)."""
    rows = (
        VoucherRow.objects.filter(voucher__in=selection.values("pk"), project__isnull=False)
        .values_list("project__number", "project__name")
        .distinct()
    )
    return dict(rows)


def export_fiscal_years(selection: QuerySet[Voucher]) -> list[tuple[dt.date, dt.date]]:
    years = FiscalYear.objects.filter(pk__in=selection.values("fiscal_year_id").distinct()).order_by("-start")
    return [(y.start, y.end) for y in years]


def export_vouchers(selection: QuerySet[Voucher], *, chunk_size: int = 2000) -> Iterator[VoucherOut]:
    """The chosen vouchers with their rows, streamed: one server-side cursor over the rows in voucher
    order, grouped as they come, so memory holds one chunk whatever the length."""
    rows = (
        VoucherRow.objects.filter(voucher__in=selection.values("pk"))
        .order_by("voucher__date", "voucher__series", "voucher__number", "voucher_id", "position", "pk")
        .values_list(
            "voucher_id",
            "voucher__series",
            "voucher__number",
            "voucher__date",
            "voucher__text",
            "voucher__fiscal_year_id",
            "voucher__posted_at",
            "account",
            "debit_ore",
            "credit_ore",
            "vat_rate",
            "project__number",
        )
    )
    current: list = []
    head: tuple | None = None
    for (
        vid,
        series,
        number,
        date,
        text,
        fy,
        posted_at,
        account,
        debit,
        credit,
        rate,
        project,
    ) in rows.iterator(chunk_size=chunk_size):
        if head is not None and head[0] != vid:
            yield _export_out(head, current)
            current = []
        head = (vid, series, number, date, text, fy, posted_at)
        current.append(RowOut(account, debit, credit, rate, project=project or ""))
    if head is not None:
        yield _export_out(head, current)


def _export_out(head: tuple, rows: list[RowOut]) -> VoucherOut:
    vid, series, number, date, text, fy, posted_at = head
    return VoucherOut(
        id=vid,
        series=series,
        number=number,
        date=date,
        text=text,
        status=VoucherStatus.POSTED,
        fiscal_year_id=fy,
        rows=tuple(rows),
        registered=timezone.localdate(posted_at) if posted_at else None,
    )


def company(tenant_id: int) -> Tenant:
    return Tenant.objects.get(pk=tenant_id)

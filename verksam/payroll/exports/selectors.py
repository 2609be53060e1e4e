"""Reads of the export history (issue 9 items 5 and 6)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from verksam.attestation import selectors as attestation_selectors

from ..models import ExportStatus, PayrollExport


def export_list(*, period_key: str | None = None) -> QuerySet[PayrollExport]:
    """The tenant's exports, newest first, with who made them (one query; the file's bytes and the
    basis stay in the database until a download asks for them)."""
    rows = PayrollExport.objects.select_related("created_by", "created_by_partner").defer("snapshot")
    if period_key:
        rows = rows.filter(period_key=period_key)
    return rows.order_by("-created_at", "-id")


def export_get(export_id: int | None) -> PayrollExport | None:
    if export_id is None:
        return None
    return (
        PayrollExport.objects.select_related("created_by", "created_by_partner").filter(pk=export_id).first()
    )


@dataclass(frozen=True)
class CorrectionStatus:
    """What the payroll page says about a period that already has a file."""

    period_key: str
    exported: bool  # a file has been made for the period (some payroll system)
    targets: tuple[str, ...]  # the payroll systems that got a file
    reopened: bool  # the period was reopened after closing and no correction file carried it yet
    reopen_reasons: tuple[str, ...]
    period_closed: bool

    @property
    def correction_due(self) -> bool:
        return self.exported and self.reopened


def correction_status(*, period_key: str) -> CorrectionStatus:
    """Whether the period's next file is a correction and whether a reopening waits for one (three
    queries)."""
    targets = tuple(
        sorted(
            set(
                PayrollExport.objects.filter(period_key=period_key, status=ExportStatus.DONE).values_list(
                    "target", flat=True
                )
            )
        )
    )
    pending = list(attestation_selectors.period_corrections_pending().filter(period_key=period_key))
    return CorrectionStatus(
        period_key=period_key,
        exported=bool(targets),
        targets=targets,
        reopened=bool(pending),
        reopen_reasons=tuple(p.reopen_reason for p in pending),
        period_closed=attestation_selectors.period_close_get(period_key) is not None,
    )

"""SIE 4I export of chosen vouchers (issue 10 item 7): the writer's lines spooled to a temporary file
that stays in memory up to `SPOOL_BYTES` and spills to disk beyond, so any number of vouchers is
exported in bounded memory; the file is complete (and valid) before a byte is sent, so a refused
export answers with an error instead of a broken download."""

import tempfile
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from . import selectors
from .sie.writer import SieHeader, SieWriteError, encode_lines, write_sie4i

SPOOL_BYTES = 2 * 1024 * 1024
MAX_VOUCHERS = 200_000


@dataclass(frozen=True)
class SieExport:
    filename: str
    file: IO[bytes]
    vouchers: int


@transaction.atomic
def sie_export(
    *, actor: Actor, voucher_ids: list[int] | None = None, flt: selectors.VoucherFilter | None = None
) -> SieExport:
    """Write the chosen posted vouchers as a SIE 4I file (drafts and other companies' ids are left out)."""
    actor.require(Perm.BOOKKEEPING)
    selection = selectors.export_selection(voucher_ids=voucher_ids, flt=flt)
    count = selection.count()
    if not count:
        raise DomainError(_("Choose at least one posted voucher to export."), code="sie_nothing")
    if count > MAX_VOUCHERS:
        raise DomainError(_("At most %(n)d vouchers per file.") % {"n": MAX_VOUCHERS}, code="sie_too_many")
    company = selectors.company(actor.tenant_id)
    settings = selectors.account_settings()
    header = SieHeader(
        company_name=company.name,
        orgnr=company.orgnr,
        generated=timezone.localdate(),
        generated_by=getattr(actor.user, "name", "") or getattr(actor.user, "email", ""),
        fiscal_years=tuple(selectors.export_fiscal_years(selection)),
        accounts=selectors.export_accounts(selection),
        projects=selectors.export_projects(selection),
        kptyp=settings.kptyp,
    )
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed to the response)
    try:
        for chunk in encode_lines(write_sie4i(header, selectors.export_vouchers(selection))):
            spool.write(chunk)
    except SieWriteError as exc:
        spool.close()
        raise DomainError(
            _("The SIE file cannot be written: %(reason)s") % {"reason": exc}, code="sie_invalid"
        ) from exc
    spool.seek(0)
    record(actor=actor, action="bookkeeping.sie_export", data={"vouchers": count}, label="SIE 4I")
    filename = f"{company.slug}-{timezone.localdate():%Y%m%d}.si"
    return SieExport(filename=filename, file=spool, vouchers=count)  # type: ignore[arg-type]

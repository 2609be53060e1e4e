"""Hand out a finished export's stored file, exactly as it was made, audited."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import Conflict
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from ..models import ExportStatus, PayrollExport


@transaction.atomic
def payroll_export_download(*, actor: Actor, export: PayrollExport) -> bytes:
    """The stored file of a finished export, exactly as it was made (audited: who fetched which file,
    a partner as the partner)."""
    actor.require(Perm.PAYROLL_VIEW)
    if export.status != ExportStatus.DONE or not export.file:
        raise Conflict(_("The payroll file is not ready."), code="export_not_ready")
    with default_storage.open(export.file.name or "", "rb") as stored:
        content = stored.read()
    record(
        actor=actor,
        action="payroll.export_download",
        target=export,
        label=export.file_name,
        data={"period": export.period_key, "target": export.target, "sha256": export.sha256},
    )
    return content

"""The export history of payroll files (issue 9 items 3, 5 and 6): every file made for a period and a
payroll system, who asked for it, for which employees, its bytes and SHA-256 (downloaded again
byte-identical), and the basis it was made from as JSON — what the next (correction) file of the
period is compared against. A refused export keeps every problem, and no file."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import TenantOwned


class ExportKind(models.TextChoices):
    NORMAL = "normal", _("Payroll file")
    CORRECTION = "correction", _("Correction file")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class ExportTarget(models.TextChoices):
    # the values of verksam.payroll.dto.Target (the file writers' enum)
    PAXML = "paxml", _("PAXml 2.0 (standard)")
    FORTNOX = "fortnox", _("Fortnox Lön (PAXml)")
    CRONA = "crona", _("Crona Lön (PAXml)")
    HOGIA = "hogia", _("Hogia Lön (PAXml)")
    KONTEK = "kontek", _("Kontek Lön (PAXml)")
    VISMA = "visma", _("Visma Lön 300/600 (TLU)")


def _file_path(instance: "PayrollExport", filename: str) -> str:
    # Never a name from input: a tenant prefix and a random name (DESIGN.md rule 17).
    return f"payroll/{instance.tenant_id}/{uuid.uuid4().hex}"


class PayrollExport(TenantOwned):
    """One payroll file of a deviation period for one payroll system, made by a background task."""

    period_key = models.CharField(_("deviation period"), max_length=7)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    target = models.CharField(_("payroll system"), max_length=10, choices=ExportTarget.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=ExportKind.choices, default=ExportKind.NORMAL)
    member_ids = models.JSONField(_("employees"), default=list)
    employee_count = models.PositiveIntegerField(_("employees"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # the accounting firm the person acted for (a partner under the customer's grant), else None
    created_by_partner = models.ForeignKey(
        "tenancy.Tenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # whether the period was closed when the export started (else: the warning that later changes
    # make a correction file)
    period_closed = models.BooleanField(default=False)
    # the export this correction was compared against (the previous file of the period and system)
    baseline = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    # every problem of a refusal: [{kind, employee, member_id, message, day, code}]
    problems = models.JSONField(default=list, blank=True)
    file_name = models.CharField(max_length=120, blank=True, default="")
    file = models.FileField(upload_to=_file_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.PositiveIntegerField(default=0)
    # the whole basis as exported (snapshot.basis_to_json): what the period's next file compares against
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & Q(size__gt=0)),
                name="payroll_payrollexport_done_has_file",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")) | Q(progress_total=0),
                name="payroll_payrollexport_progress_bounded",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "period_key", "target", "status"], name="payroll_export_period"),
            models.Index(fields=["tenant", "created_at"], name="payroll_export_created"),
        ]

    def __str__(self) -> str:
        return self.file_name or f"{self.target} {self.period_key}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)

"""A record of every scheduled job's run for each tenant (issue 7 item 11: the daily scheduler
records failures and retries them, and one tenant's failure never stops another's)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import TenantOwned


class JobStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobRun(TenantOwned):
    """One daily job (named by its management command) for one tenant and one day."""

    job = models.CharField(_("job"), max_length=100)
    run_for = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-run_for", "job", "tenant_id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "job", "run_for"], name="jobs_jobrun_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_for} tenant {self.tenant_id}: {self.status}"

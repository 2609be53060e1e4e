"""The employees chosen for a deviation period's payroll basis (issue 9 item 1: "choose which
employees to include; remember the choice per period")."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from verksam.tenancy.models import TenantOwned


class PayrollSelection(TenantOwned):
    """The chosen employees (membership ids) of one period, named by its key `YYYY-MM` (the month
    the period ends in, `timecodes.periods`). No row: everyone who belongs in the basis."""

    period_key = models.CharField(max_length=7)
    member_ids = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "period_key"], name="payroll_selection_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period_key}: {len(self.member_ids)}"

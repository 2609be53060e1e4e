from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_list(*, action: str = "") -> QuerySet[AuditEvent]:
    """The tenant's audit log, newest first (one query per page)."""
    qs = AuditEvent.objects.select_related("user", "partner_tenant")
    return qs.filter(action__startswith=action) if action else qs

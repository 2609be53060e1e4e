from django.db.models import Q, QuerySet

from .models import AuditEvent
from .presentation import GROUPS


def audit_event_list(*, action: str = "", group: str = "") -> QuerySet[AuditEvent]:
    """The tenant's audit log, newest first (one query per page), narrowed to actions starting with
    `action` and to one of the log's groups (presentation.GROUPS; an unknown group matches nothing)."""
    qs = AuditEvent.objects.select_related("user", "partner_tenant")
    if action:
        qs = qs.filter(action__startswith=action)
    if group:
        prefixes = GROUPS[group][1] if group in GROUPS else ()
        match = Q(pk__in=[])
        for prefix in prefixes:
            match |= Q(action__startswith=prefix)
        qs = qs.filter(match)
    return qs

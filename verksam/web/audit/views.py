from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from verksam.audit import presentation
from verksam.audit.selectors import audit_event_list
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view

from .labels import audit_choices
from .targets import humanise_targets


@tenant_view(Perm.AUDIT_VIEW)
def audit_log(request: TenantRequest, slug: str) -> HttpResponse:
    group = request.GET.get("group", "")
    if group not in presentation.GROUPS:
        group = ""
    page = Paginator(audit_event_list(group=group), 50).get_page(request.GET.get("page"))
    choices = audit_choices()
    for event in page:
        event.label = presentation.action_label(event.action)  # type: ignore[attr-defined]
        event.details = presentation.details(event.data, choices)  # type: ignore[attr-defined]
    humanise_targets(page)
    groups = [(key, label) for key, (label, _prefixes) in presentation.GROUPS.items()]
    return render(request, "web/audit/list.html", {"page": page, "group": group, "groups": groups})

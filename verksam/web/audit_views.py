from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from verksam.audit.selectors import audit_event_list
from verksam.tenancy.permissions import Perm

from .decorators import TenantRequest, tenant_view


@tenant_view(Perm.AUDIT_VIEW)
def audit_log(request: TenantRequest, slug: str) -> HttpResponse:
    page = Paginator(audit_event_list(action=request.GET.get("action", "")), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "web/audit/list.html", {"page": page, "action": request.GET.get("action", "")})

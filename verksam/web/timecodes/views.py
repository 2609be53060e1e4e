"""Pages of the timecodes module."""

from django.http import HttpResponse
from django.shortcuts import render

from verksam.web.decorators import TenantRequest, tenant_view


@tenant_view()
def placeholder(request: TenantRequest, slug: str) -> HttpResponse:
    # Replaced by the module's real start page.
    return render(request, "web/dashboard.html", {})

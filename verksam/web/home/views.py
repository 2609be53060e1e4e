from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from verksam.tenancy.selectors import invitations_for_user, tenants_for_user
from verksam.web.decorators import TenantRequest, tenant_view

from .dashboard import dashboard_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: go straight to the only company, or let the user choose; invitations waiting for
    the user's answer are listed here (and keep the page from skipping to the only company)."""
    choices = tenants_for_user(request.user)
    invitations = invitations_for_user(request.user)
    if len(choices) == 1 and not invitations:
        return redirect("web:dashboard", choices[0].tenant.slug)
    return render(request, "web/home.html", {"choices": choices, "invitations": invitations})


@tenant_view()
def dashboard(request: TenantRequest, slug: str) -> HttpResponse:
    """Översikt: my time this week and period, and what waits for me to attest."""
    return render(request, "web/dashboard.html", dashboard_context(request.actor))

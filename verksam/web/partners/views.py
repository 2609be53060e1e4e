"""Accounting-firm partners (Lägg till byråpartner): add by personnummer, list, revoke."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from verksam.core.errors import DomainError
from verksam.tenancy import selectors, services
from verksam.tenancy.models import PartnerLevel
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error


class PartnerGrantForm(forms.Form):
    personnummer = forms.CharField(
        label=gettext_lazy("Personnummer"), max_length=13, help_text=gettext_lazy("YYYYMMDD-NNNN")
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Access"), choices=PartnerLevel.choices, widget=forms.RadioSelect
    )


@tenant_view(Perm.PARTNER_GRANTS_MANAGE)
def partner_grant_list(request: TenantRequest, slug: str) -> HttpResponse:
    form = PartnerGrantForm(request.POST or None, initial={"level": PartnerLevel.LIMITED})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                grant = services.partner_grant_create(actor=request.actor, **form.cleaned_data)
            except DomainError as exc:
                add_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s at %(firm)s now has access.")
                    % {"name": grant.user.name, "firm": grant.partner_tenant.name},
                )
                return redirect("web:partner_grants", slug)
    grants = selectors.partner_grant_list(include_revoked=True)
    return render(request, "web/partners/list.html", {"form": form, "grants": grants}, status=status)


@tenant_view(Perm.PARTNER_GRANTS_MANAGE)
@require_POST
def partner_grant_revoke(request: TenantRequest, slug: str, grant_id: int) -> HttpResponse:
    grant = selectors.partner_grant_get(grant_id)
    if grant is None:
        raise Http404
    services.partner_grant_revoke(actor=request.actor, grant=grant)
    messages.success(request, _("The access has been revoked."))
    return redirect("web:partner_grants", slug)

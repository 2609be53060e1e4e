"""Partnerportalen (issue 11): Mina samarbeten, Skapa nytt samarbete and the customer view."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.core.errors import DomainError
from verksam.partners import selectors, services
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import tenant_get
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import CollaborationForm

SORT_CHOICES = [
    ("name", gettext_lazy("Name")),
    ("attention", gettext_lazy("Needs attention")),
    ("orgnr", gettext_lazy("Organisationsnummer")),
    ("created", gettext_lazy("Newest account")),
]


COLLABORATIONS_PER_PAGE = 50


@tenant_view()
def collaboration_list(request: TenantRequest, slug: str) -> HttpResponse:
    """Mina samarbeten: the customers this person works with; the firm's administrators may switch to
    the whole firm's list with who has which access."""
    if selectors.firm_of(request.actor) is None:
        raise Http404
    query = request.GET.get("q", "")[:100]
    sort = request.GET.get("sort", "name")
    may_view_all = request.actor.has(Perm.COLLABORATIONS_VIEW_ALL)
    whole_firm = may_view_all and request.GET.get("view") == "firm"
    rows = selectors.collaboration_list(actor=request.actor, query=query, sort=sort, whole_firm=whole_firm)
    # An accountant with hundreds of customers gets them a page at a time (sorted and searched as a
    # whole first, so "most to do" puts the busiest customers on page one).
    page = Paginator(rows, COLLABORATIONS_PER_PAGE).get_page(request.GET.get("page"))
    keep = {"q": query, "sort": sort, **({"view": "firm"} if whole_firm else {})}
    context = {
        "rows": page,
        "page": page,
        "page_query": urlencode({k: v for k, v in keep.items() if v}),
        "query": query,
        "sort": sort if sort in selectors.SORTS else "name",
        "sort_choices": SORT_CHOICES,
        "badges": selectors.badge_labels(),
        "whole_firm": whole_firm,
        "may_view_all": may_view_all,
        "may_create": request.actor.has(Perm.COLLABORATIONS_CREATE),
    }
    template = "web/portal/list.html#table" if request.htmx else "web/portal/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@tenant_view()
def inbox(request: TenantRequest, slug: str) -> HttpResponse:
    """The exceptions inbox: what needs action at every customer of this person, linked to where."""
    if selectors.firm_of(request.actor) is None:
        raise Http404
    lines = selectors.inbox_list(actor=request.actor)
    return render(request, "web/portal/inbox.html", {"lines": lines, "badges": selectors.badge_labels()})


@tenant_view(Perm.COLLABORATIONS_CREATE)
def collaboration_create(request: TenantRequest, slug: str) -> HttpResponse:
    if selectors.firm_of(request.actor) is None:
        raise Http404
    form = CollaborationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                new = services.collaboration_create(actor=request.actor, **form.cleaned_data)
            except DomainError as exc:
                add_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s has been created and %(email)s has been invited.")
                    % {"name": new.customer.name, "email": new.invitation.email},
                )
                return redirect("web:portal", slug)
    return render(request, "web/portal/create.html", {"form": form}, status=status)


def portal_frame(actor, tab: str) -> dict:
    """The context of the portal's customer frame (tabs, firm, Logga in hos kunden), for a partner's
    pages of a tab that another module renders (documents, messages)."""
    tabs = selectors.portal_tabs(actor)
    return {
        "tabs": tabs,
        "current": next((t for t in tabs if t.key == tab), None),
        "firm": tenant_get(actor.partner_tenant_id) if actor.partner_tenant_id else None,
        "may_log_in": selectors.portal_may_log_in(actor),
    }


# tabs whose module has its own pages: the tab opens them
TAB_PAGES = {"documents": "web:documents_browse", "messages": "web:messages"}
# tabs whose pages are the company's own, shown in the portal's frame to a partner (Löneunderlag)
TAB_OWN_PAGES = {
    "payroll": "web:payroll_basis",
    "expenses": "web:bookkeeping_private_outlays",
    "card_purchases": "web:cards_portal",
}


@tenant_view()
def customer_view(request: TenantRequest, slug: str, tab: str = "") -> HttpResponse:
    """The customer inside the portal: the tabs this partner may open (404 for the company's own
    users: they work in their own account)."""
    actor = request.actor
    if not actor.is_partner:
        raise Http404
    tabs = selectors.portal_tabs(actor)
    current = next((t for t in tabs if t.key == tab), None)
    if current is None and tab:
        if any(t.key == tab for t in selectors.PORTAL_TABS):
            raise PermissionDenied
        raise Http404
    if current is not None and current.key in TAB_PAGES:
        return redirect(TAB_PAGES[current.key], slug, actor.partner_tenant_id)
    if current is not None and current.key in TAB_OWN_PAGES:
        return redirect(TAB_OWN_PAGES[current.key], slug)
    return render(request, "web/portal/customer.html", portal_frame(actor, tab))

"""Invitations (issue 7): the invited person's page behind the e-mailed link (accept, decline, or ask
for a new link once it has expired), their answers from the start page, and the administrator's
resend and revoke on the Users page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.accounts.selectors import user_exists_with_email
from verksam.core.errors import DomainError
from verksam.tenancy import selectors, services
from verksam.tenancy.models import Invitation
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import tenant_scope

from ..decorators import TenantRequest, tenant_view
from ..errors import add_error
from .forms import NewAccountForm


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "web/invitations/invalid.html", status=404)


def _joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(request, _("Welcome to %(company)s!") % {"company": invitation.tenant.name})
    return redirect("web:dashboard", invitation.tenant.slug)


def _declined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    return render(request, "web/invitations/declined.html", {"invitation": invitation})


def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: answer the invitation, or ask for a new link once it has expired."""
    found = selectors.invitation_get_by_link(token)
    if found is None or not found[1].is_pending:
        return _invalid(request)
    link, invitation = found
    if link.is_expired or invitation.is_expired:
        return render(
            request, "web/invitations/expired.html", {"invitation": invitation, "token": token}, status=410
        )
    has_account = invitation.user_id is not None or user_exists_with_email(invitation.email)
    is_invitee = request.user.is_authenticated and services.invitation_is_for(invitation, request.user)
    form = None if has_account else NewAccountForm(initial={"name": invitation.name})
    status = 200
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            with tenant_scope(invitation.tenant_id):
                if answer == "decline" and (is_invitee or not has_account):
                    services.invitation_decline(
                        invitation=invitation, user=request.user if is_invitee else None
                    )
                    return _declined(request, invitation)
                if answer == "accept" and is_invitee:
                    services.invitation_accept(invitation=invitation, user=request.user)
                    return _joined(request, invitation)
                if answer == "accept" and not has_account:
                    form = NewAccountForm(request.POST)
                    if form.is_valid():
                        membership = services.invitation_accept_new_account(
                            invitation=invitation,
                            name=form.cleaned_data["name"],
                            password=form.cleaned_data["password1"],
                        )
                        login(request, membership.user, backend=settings.AUTHENTICATION_BACKENDS[0])
                        return _joined(request, invitation)
        except ValidationError as exc:  # the password's rules, or the new account's fields
            if form is None:
                raise
            if hasattr(exc, "error_dict"):
                add_error(form, exc)
            else:
                form.add_error("password1", exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("web:invitation", token)
        status = 422
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "is_invitee": is_invitee,
        "token": token,
    }
    return render(request, "web/invitations/answer.html", context, status=status)


@require_POST
def invitation_new_link(request: HttpRequest, token: str) -> HttpResponse:
    """ "Send a new link" on the expired page. The answer is the same whatever happened, and the mail
    goes only to the invited address: a stranger holding the link learns nothing and gets nothing."""
    found = selectors.invitation_get_by_link(token)
    if found is not None:
        with tenant_scope(found[1].tenant_id):
            services.invitation_renew(invitation=found[1])
    return render(request, "web/invitations/new_link_sent.html")


@login_required
@require_POST
def my_invitation_answer(request: HttpRequest, invitation_id: int, answer: str) -> HttpResponse:
    """Accept, decline or ask for a new link from the start page (the logged-in invitee's own list)."""
    found = selectors.invitations_for_user(request.user, invitation_id=invitation_id)
    if not found or answer not in {"accept", "decline", "new-link"}:
        raise Http404
    invitation = found[0]
    try:
        with tenant_scope(invitation.tenant_id):
            if answer == "accept":
                services.invitation_accept(invitation=invitation, user=request.user)
                return _joined(request, invitation)
            if answer == "decline":
                services.invitation_decline(invitation=invitation, user=request.user)
                messages.success(
                    request,
                    _("You declined the invitation to %(company)s.") % {"company": invitation.tenant.name},
                )
            else:
                services.invitation_renew(invitation=invitation)
                messages.success(request, _("A new link has been sent to your e-mail address."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:home")


def _pending(invitation_id: int) -> Invitation:
    invitation = selectors.invitation_get(invitation_id)
    if invitation is None:  # another tenant's invitation answers like a missing one (rule 8)
        raise Http404
    return invitation


@tenant_view(Perm.USERS_MANAGE)
@require_POST
def invitation_resend(request: TenantRequest, slug: str, invitation_id: int) -> HttpResponse:
    try:
        invitation = services.invitation_resend(actor=request.actor, invitation=_pending(invitation_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The invitation has been sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("web:members", slug)


@tenant_view(Perm.USERS_MANAGE)
@require_POST
def invitation_revoke(request: TenantRequest, slug: str, invitation_id: int) -> HttpResponse:
    try:
        invitation = services.invitation_revoke(actor=request.actor, invitation=_pending(invitation_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email}
        )
    return redirect("web:members", slug)

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .invitation_links import invitation_token
from .models import Invitation, InvitationStatus
from .scope import tenant_task


@task()
@tenant_task
def send_invitation(*, tenant_id: int, invitation_id: int, nonce: str) -> None:
    """E-mail the invited address its link and until when it works. A link replaced (resent) or an
    invitation answered before this ran sends nothing: only the current link is ever mailed."""
    invitation = (
        Invitation.objects.select_related("tenant", "invited_by")
        .filter(pk=invitation_id, nonce=nonce, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        return
    link = settings.SITE_URL + reverse("web:invitation", args=[invitation_token(invitation)])
    invited_by = invitation.invited_by
    context = {
        "invitation": invitation,
        "tenant": invitation.tenant,
        "link": link,
        "invited_by": (invited_by.name or invited_by.email) if invited_by else "",
        "expires_at": invitation.expires_at,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(
        subject=subject,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )

"""The e-mails tenancy sends, rendered in the sending service's transaction and queued through the
one mail service (`verksam.mail.services`, issue 7 item 11): delivered by their own task after
commit, retried, and visible to the tenant's administrators when they fail."""

from django.conf import settings
from django.urls import reverse

from verksam.mail.services import mail_drop_queued, mail_send_template

from .invitation_links import invitation_token
from .models import Invitation

INVITATION_KIND = "invitation"


def invitation_mail_send(*, invitation: Invitation) -> None:
    """Queue the invitation's mail with its current link and until when it works; a mail of an older
    link to the same address that still waits is dropped, so only the current link is ever mailed."""
    mail_drop_queued(kind=INVITATION_KIND, to=invitation.email)
    invited_by = invitation.invited_by
    context = {
        "invitation": invitation,
        "tenant": invitation.tenant,
        "link": settings.SITE_URL + reverse("web:invitation", args=[invitation_token(invitation)]),
        "invited_by": (invited_by.name or invited_by.email) if invited_by else "",
        "expires_at": invitation.expires_at,
    }
    mail_send_template(
        tenant_id=invitation.tenant_id,
        to=invitation.email,
        template="accounts/email/invitation",
        context=context,
        kind=INVITATION_KIND,
    )


def invitation_mail_drop(*, invitation: Invitation) -> None:
    """Drop the mail of an invitation that was answered or withdrawn before it went out."""
    mail_drop_queued(kind=INVITATION_KIND, to=invitation.email)

"""The e-mails tenancy sends, rendered in the sending service's transaction and queued through the
one mail service (`verksam.mail.services`, issue 7 item 11): delivered by their own task after
commit, retried, and visible to the tenant's administrators when they fail."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from verksam.mail.services import mail_send_template

from .models import Membership


def invitation_mail_send(*, membership: Membership, invited_by: str) -> None:
    """Queue the invitation: a link to set a password, or to log in for a person who has one."""
    user = membership.user
    if user.has_usable_password():
        link = settings.SITE_URL + reverse("accounts:login")
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])
    context = {"user": user, "tenant": membership.tenant, "link": link, "invited_by": invited_by}
    mail_send_template(
        tenant_id=membership.tenant_id,
        to=user.email,
        template="accounts/email/invitation",
        context=context,
        kind="invitation",
    )

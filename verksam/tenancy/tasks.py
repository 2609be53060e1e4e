from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .models import Membership
from .scope import tenant_task


@task()
@tenant_task
def send_invitation(*, tenant_id: int, membership_id: int, invited_by: str) -> None:
    """E-mail the invited user a link to set their password (or to log in if they have one)."""
    membership = Membership.objects.select_related("user", "tenant").filter(pk=membership_id).first()
    if membership is None:
        return
    user = membership.user
    if user.has_usable_password():
        link = settings.SITE_URL + reverse("accounts:login")
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])
    context = {"user": user, "tenant": membership.tenant, "link": link, "invited_by": invited_by}
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )

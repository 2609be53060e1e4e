"""The e-mails attestation sends, queued through the one mail service (`verksam.mail.services`,
issue 7 item 11): a row in the caller's transaction, delivered by its own task after commit."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from verksam.mail.services import mail_send_template
from verksam.tenancy.models import Membership


def mail_to_member(template: str, context: dict, member: Membership, kind: str) -> None:
    # The one mail path (issue 7 item 11): a row now, its own delivery task after commit.
    mail_send_template(
        tenant_id=member.tenant_id,
        to=member.user.email,
        template=f"attestation/email/{template}",
        context=context,
        kind=kind,
    )


def rejection_mail_send(
    *, membership: Membership, dates: list[dt.date], comment: str, rejected_by: str
) -> None:
    """Queue the e-mail telling the employee their days were sent back, with the approver's comment."""
    if not membership.user.email:
        return
    context = {
        "user": membership.user,
        "tenant": membership.tenant,
        "dates": dates,
        "comment": comment,
        "rejected_by": rejected_by,
        "link": settings.SITE_URL + reverse("web:time_week", args=[membership.tenant.slug]),
    }
    mail_to_member("rejected", context, membership, "time_rejected")


def reopen_mail_send(*, membership: Membership, dates: list[dt.date], reason: str, reopened_by: str) -> None:
    """Queue the e-mail telling the employee their attested days were reopened, by whom and why
    (issue 8 item 6: a reopening is never silent)."""
    if not membership.user.email:
        return
    context = {
        "user": membership.user,
        "tenant": membership.tenant,
        "dates": dates,
        "reason": reason,
        "reopened_by": reopened_by,
        "link": settings.SITE_URL + reverse("web:time_month", args=[membership.tenant.slug]),
    }
    mail_to_member("reopened", context, membership, "time_reopened")

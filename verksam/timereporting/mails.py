"""The e-mail time reporting sends, queued through the one mail service (`verksam.mail.services`):
a row in the caller's transaction, delivered by its own task after commit (DESIGN.md rule 12)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from verksam.mail.services import mail_send_template
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership


def behalf_mail_send(*, actor: Actor, membership: Membership, dates: list[dt.date]) -> None:
    """Tell the employee that someone else changed their reported time (issue 8 item 6), so a
    correction by a payroll clerk or the approver is never silent. Nothing for one's own time."""
    if membership.user_id == actor.user.pk or not membership.user.email:
        return
    tenant = actor.tenant
    context = {
        "user": membership.user,
        "tenant": tenant,
        "by": str(actor.user),
        "dates": dates,
        "link": settings.SITE_URL + reverse("web:time_month", args=[tenant.slug]),
    }
    mail_send_template(
        tenant_id=membership.tenant_id,
        to=membership.user.email,
        template="timereporting/email/changed_on_behalf",
        context=context,
        kind="time_changed_on_behalf",
    )

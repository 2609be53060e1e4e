"""The e-mail about a correction file (issue 9 item 5: the payroll administrator and the accounting
firm are told), queued through the one mail service in the caller's transaction."""

from django.conf import settings
from django.urls import reverse

from verksam.mail.services import mail_send_template
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.selectors import partner_grant_list

from ..models import PayrollExport


def recipients() -> list[str]:
    """The company's payroll administrators (active TOTAL users) and the accounting firm's people
    with an active grant, each address once."""
    addresses = list(
        Membership.objects.filter(licence=Licence.TOTAL)
        .select_related("user")
        .values_list("user__email", "is_active")
    )
    found = [email for email, active in addresses if active and email]
    found += [grant.user.email for grant in partner_grant_list() if grant.user.email]
    return sorted(set(found), key=found.index)


def correction_made(*, export: PayrollExport) -> int:
    """Queue the e-mail saying a correction file of the period was made and where to fetch it."""
    tenant = export.tenant
    link = (
        settings.SITE_URL + reverse("web:payroll_files", args=[tenant.slug]) + f"?period={export.period_key}"
    )
    context = {
        "tenant": tenant,
        "period": export.period_key,
        "start": export.period_start,
        "end": export.period_end,
        "file_name": export.file_name,
        "target": export.get_target_display(),
        "by": export.created_by.name if export.created_by else "",
        "link": link,
    }
    sent = 0
    for address in recipients():
        mail_send_template(
            tenant_id=tenant.pk,
            to=address,
            template="payroll/email/correction",
            context=context,
            kind="payroll_correction",
        )
        sent += 1
    return sent

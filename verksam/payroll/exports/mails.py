"""The e-mail about a correction file (issue 9 item 5: the payroll administrator and the accounting
firm are told), queued through the one mail service in the caller's transaction."""

from django.conf import settings
from django.urls import reverse

from verksam.mail.services import mail_send_template
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.selectors import partner_grant_list

from ..models import ExportStatus, ExportTarget, PayrollExport


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
    link = _files_link(tenant, export.period_key)
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
    return _mail_everyone(tenant, "payroll/email/correction", context, "payroll_correction")


def period_reopened(*, period) -> int:
    """settings.PERIOD_REOPEN_LISTENERS: a closed period was reopened (attestation.services.period_reopen,
    in its transaction). When a payroll file of the period has been exported, the payroll
    administrators and the accounting firm are told at once that the changes coming will need a
    correction file (issue 9 item 5), not only when that file is made. Returns how many were mailed."""
    exported = list(
        PayrollExport.objects.filter(period_key=period.period_key, status=ExportStatus.DONE)
        .order_by("-created_at")
        .values_list("target", flat=True)
    )
    if not exported:
        return 0
    tenant = period.tenant
    link = _files_link(tenant, period.period_key)
    context = {
        "tenant": tenant,
        "period": period.period_key,
        "start": period.start,
        "end": period.end,
        "by": period.reopened_by.name if period.reopened_by else "",
        "reason": period.reopen_reason,
        "targets": ", ".join(sorted({str(ExportTarget(t).label) for t in exported})),
        "link": link,
    }
    return _mail_everyone(tenant, "payroll/email/reopened", context, "payroll_period_reopened")


def _files_link(tenant, period_key: str) -> str:
    return settings.SITE_URL + reverse("web:payroll_files", args=[tenant.slug]) + f"?period={period_key}"


def _mail_everyone(tenant, template: str, context: dict, kind: str) -> int:
    """One mail to each of recipients(); returns how many were sent."""
    addresses = list(recipients())
    for address in addresses:
        mail_send_template(tenant_id=tenant.pk, to=address, template=template, context=context, kind=kind)
    return len(addresses)

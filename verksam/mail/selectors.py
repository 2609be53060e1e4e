"""Reads of the tenant's outgoing mail (in the tenant scope)."""

from django.db.models import QuerySet

from .models import MailStatus, OutgoingMail


def mail_list(*, status: str = "") -> QuerySet[OutgoingMail]:
    """The tenant's mails, newest first; `status` narrows to one MailStatus."""
    qs = OutgoingMail.objects.all()
    return qs.filter(status=status) if status else qs


def mail_failed_list(*, limit: int = 20) -> list[OutgoingMail]:
    """The most recent mails that could not be delivered, for the Users page."""
    return list(OutgoingMail.objects.filter(status=MailStatus.FAILED)[:limit])

"""The one way Verksam sends e-mail (issue 7 item 11).

`mail_send` (or `mail_send_template`) is called inside the service that decides to mail, usually in
its transaction. It stores an `OutgoingMail` row in the same transaction and hands the row to its own
task once the transaction commits (DESIGN.md rule 12), so:

- nothing is sent while a transaction holds locks, and nothing is sent for a write that rolled back;
- every mail is delivered by its own task: one refused address never stops the others;
- a transient SMTP error (4xx, a dropped connection, a timeout) is retried with exponential back-off
  (django-tasks has no retries of its own: the task enqueues itself again with `run_after`), at most
  `MAX_ATTEMPTS` times; a permanent refusal (5xx) fails at once. A failed mail stays visible to the
  tenant's administrators (Users page, `GET /api/v1/tenants/{id}/mails`).

A mail that belongs to no tenant (password reset for a person without a company) takes the same
path (rendered now, its own task after commit, the same retries) but leaves no row: rows are
tenant-owned (DESIGN.md rule 4); its failures are logged.
"""

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from verksam.core.tasks import enqueue_on_commit

from .models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY = dt.timedelta(hours=2)


def retry_delay(attempt: int) -> dt.timedelta:
    """Wait before the next try after `attempt` failed ones: 1, 4, 16, 64 minutes, at most 2 hours."""
    return min(FIRST_RETRY * 4 ** (attempt - 1), MAX_RETRY)


def mail_send(*, tenant_id: int | None, to: str, subject: str, body: str, kind: str) -> OutgoingMail | None:
    """Queue one e-mail to one recipient, delivered by its own task after the transaction commits."""
    from .tasks import mail_deliver, mail_deliver_system

    to = (to or "").strip()
    subject = " ".join(subject.split())[:300]
    error = _invalid_address(to)
    if tenant_id is None:
        if error:
            logger.warning("mail %s not sent: %s", kind, error)
            return None
        enqueue_on_commit(mail_deliver_system, to=to, subject=subject, body=body, kind=kind, attempt=1)
        return None
    mail = OutgoingMail(tenant_id=tenant_id, kind=kind[:40], to=to[:254], subject=subject, body=body)
    if error:
        # Recorded as failed rather than raised: a bad address must not undo the write that mails it.
        mail.status, mail.last_error, mail.body = MailStatus.FAILED, error, ""
    mail.save()
    if not error:
        enqueue_on_commit(mail_deliver, tenant_id=tenant_id, mail_id=mail.pk)
    return mail


def mail_send_template(
    *, tenant_id: int | None, to: str, template: str, context: dict, kind: str, language: str = ""
) -> OutgoingMail | None:
    """Render `<template>_subject.txt` and `<template>.txt` now (in `language`, default the site's)
    and queue the result with `mail_send`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return mail_send(tenant_id=tenant_id, to=to, subject=subject, body=body, kind=kind)


def mail_drop_queued(*, kind: str, to: str) -> int:
    """Drop the mails of this kind to this address in the active tenant that still wait to be sent:
    their content is out of date (a one-time link replaced or withdrawn). Returns how many."""
    dropped, _by_model = OutgoingMail.objects.filter(
        kind=kind, to=(to or "").strip(), status=MailStatus.QUEUED
    ).delete()
    return dropped


def _invalid_address(to: str) -> str:
    try:
        validate_email(to)
    except ValidationError:
        return f"Invalid e-mail address: {to[:254]!r}"
    return ""


@dataclass(frozen=True)
class Outcome:
    sent: bool
    permanent: bool = False
    error: str = ""


def deliver(*, to: str, subject: str, body: str) -> Outcome:
    """Hand one message to the mail server (settings.EMAIL_BACKEND); never raises."""
    try:
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        text = "; ".join(f"{code} {_text(msg)}" for code, msg in exc.recipients.values())
        return Outcome(sent=False, permanent=bool(codes) and all(c >= 500 for c in codes), error=text)
    except smtplib.SMTPResponseException as exc:
        return Outcome(
            sent=False, permanent=exc.smtp_code >= 500, error=f"{exc.smtp_code} {_text(exc.smtp_error)}"
        )
    except Exception as exc:  # noqa: BLE001 - connection refused, timeouts, TLS: try again later
        logger.warning("mail delivery error: %r", exc)
        return Outcome(sent=False, error=f"{type(exc).__name__}: {exc}"[:1000])
    return Outcome(sent=True)


def _text(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def mail_attempt(*, mail_id: int) -> str:
    """Try once to deliver a queued mail (outside any transaction) and record the outcome; after a
    transient error the mail is queued again for `retry_delay` later, up to MAX_ATTEMPTS tries."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status != MailStatus.QUEUED:
        return mail.status if mail else "missing"
    # Claim the try: a duplicate task (a worker restarted mid-run) finds the row taken and stops.
    claimed = OutgoingMail.objects.filter(
        pk=mail.pk, status=MailStatus.QUEUED, attempts=mail.attempts
    ).update(status=MailStatus.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    attempt = mail.attempts + 1
    outcome = deliver(to=mail.to, subject=mail.subject, body=mail.body)
    rows = OutgoingMail.objects.filter(pk=mail.pk)
    now = timezone.now()
    if outcome.sent:
        # The body may hold a one-time link (invitation, password): kept only while it may be sent.
        rows.update(status=MailStatus.SENT, sent_at=now, next_attempt_at=None, body="")
        logger.info("mail %s sent (tenant %s, %s, attempt %s)", mail.pk, mail.tenant_id, mail.kind, attempt)
        return MailStatus.SENT
    if outcome.permanent or attempt >= MAX_ATTEMPTS:
        rows.update(status=MailStatus.FAILED, last_error=outcome.error, next_attempt_at=None, body="")
        logger.error(
            "mail %s failed for good (tenant %s, %s, attempt %s): %s",
            mail.pk,
            mail.tenant_id,
            mail.kind,
            attempt,
            outcome.error,
        )
        return MailStatus.FAILED
    run_after = now + retry_delay(attempt)
    rows.update(status=MailStatus.QUEUED, last_error=outcome.error, next_attempt_at=run_after)
    logger.warning(
        "mail %s will be retried at %s (tenant %s, attempt %s): %s",
        mail.pk,
        run_after.isoformat(),
        mail.tenant_id,
        attempt,
        outcome.error,
    )
    from .tasks import mail_deliver

    _enqueue_later(mail_deliver, run_after, tenant_id=mail.tenant_id, mail_id=mail.pk)
    return MailStatus.QUEUED


def system_mail_attempt(*, to: str, subject: str, body: str, kind: str, attempt: int) -> str:
    """Deliver a mail that belongs to no tenant; retried like `mail_attempt`, failures are logged."""
    outcome = deliver(to=to, subject=subject, body=body)
    if outcome.sent:
        logger.info("system mail %s sent (attempt %s)", kind, attempt)
        return MailStatus.SENT
    if outcome.permanent or attempt >= MAX_ATTEMPTS:
        logger.error("system mail %s failed for good (attempt %s): %s", kind, attempt, outcome.error)
        return MailStatus.FAILED
    run_after = timezone.now() + retry_delay(attempt)
    logger.warning("system mail %s will be retried at %s: %s", kind, run_after.isoformat(), outcome.error)
    from .tasks import mail_deliver_system

    _enqueue_later(
        mail_deliver_system, run_after, to=to, subject=subject, body=body, kind=kind, attempt=attempt + 1
    )
    return MailStatus.QUEUED


def _enqueue_later(task, run_after: dt.datetime, **kwargs) -> None:
    # The production backend (django_tasks_db) honours run_after; the immediate backend of tests and
    # of a worker-less development run cannot wait, so it tries again at once (still bounded).
    if task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(**kwargs)

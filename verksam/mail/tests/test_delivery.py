"""Mail survives faults (issue 7 item 11): each mail is its own task, sent only after commit, a
transient SMTP error is retried with back-off, a refused address fails alone and stays visible."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from verksam.mail import services
from verksam.mail.models import MailStatus, OutgoingMail
from verksam.mail.services import MAX_ATTEMPTS, mail_send
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import TenantFactory


def _send(tenant, *addresses):
    with tenant_scope(tenant.pk):
        return [
            mail_send(tenant_id=tenant.pk, to=a, subject=f"Hej {a}", body="Text", kind="test")
            for a in addresses
        ]


def _rows(tenant):
    with tenant_scope(tenant.pk):
        return {m.to: m for m in OutgoingMail.objects.all()}


def test_one_refused_address_does_not_stop_the_others(db, smtp, django_capture_on_commit_callbacks):
    # given a mail server that refuses one mailbox for good
    tenant = TenantFactory()
    smtp.refused = {"borta@example.se"}
    # when three mails are sent in one transaction
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _send(tenant, "anna@example.se", "borta@example.se", "bertil@example.se")
    # then the two good ones arrived over SMTP, and the refused one failed at once (550 is permanent)
    assert smtp.recipients == ["anna@example.se", "bertil@example.se"]
    rows = _rows(tenant)
    assert {to: m.status for to, m in rows.items()} == {
        "anna@example.se": MailStatus.SENT,
        "borta@example.se": MailStatus.FAILED,
        "bertil@example.se": MailStatus.SENT,
    }
    assert rows["borta@example.se"].attempts == 1
    assert "550" in rows["borta@example.se"].last_error
    # no one-time link stays stored once a mail is done
    assert {m.body for m in rows.values()} == {""}


def test_nothing_is_sent_before_the_commit(db, smtp, django_capture_on_commit_callbacks):
    tenant = TenantFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        _send(tenant, "anna@example.se")
        # inside the transaction (which may hold locks) nothing has gone to the mail server
        assert smtp.received == []
    assert smtp.received == []
    for callback in callbacks:
        callback()
    assert smtp.recipients == ["anna@example.se"]


def test_a_rolled_back_write_sends_no_mail(db, smtp, django_capture_on_commit_callbacks):
    tenant = TenantFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _send(tenant, "anna@example.se")
        raise RuntimeError("the service failed after queueing its mail")
    assert smtp.received == []
    assert _rows(tenant) == {}


def test_a_transient_refusal_is_tried_again_until_the_limit(db, smtp, django_capture_on_commit_callbacks):
    # given a server that answers 451 "try again later" forever (immediate backend: retries at once)
    tenant = TenantFactory()
    smtp.busy = {"anna@example.se": 99}
    with django_capture_on_commit_callbacks(execute=True):
        _send(tenant, "anna@example.se")
    row = _rows(tenant)["anna@example.se"]
    assert (row.status, row.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)
    assert "451" in row.last_error
    assert smtp.received == []


def test_retry_delays_grow_exponentially_and_are_bounded():
    delays = [services.retry_delay(n) for n in range(1, 7)]
    assert delays[:4] == [dt.timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert max(delays) == services.MAX_RETRY


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_transient_failure_with_back_off(settings, smtp):
    # given the production task backend and a server that is busy once for this mailbox
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tenant = TenantFactory()
    smtp.busy = {"anna@example.se": 1}
    start = timezone.now()
    with transaction.atomic():
        (queued,) = _send(tenant, "anna@example.se")
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    def work():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    # when the worker runs: the first try gets 451, the mail is queued again for one minute later
    work()
    row = _rows(tenant)["anna@example.se"]
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 1)
    assert "451" in row.last_error
    assert row.next_attempt_at >= start + dt.timedelta(minutes=1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == row.next_attempt_at
    # then the worker leaves it alone until its time has come
    work()
    assert smtp.received == []
    # and sends it on the second try after the back-off
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        work()
    row = _rows(tenant)["anna@example.se"]
    assert (row.status, row.attempts) == (MailStatus.SENT, 2)
    assert smtp.recipients == ["anna@example.se"]


def test_a_mail_no_longer_queued_is_not_sent_twice(db, django_capture_on_commit_callbacks):
    tenant = TenantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (queued,) = _send(tenant, "anna@example.se")
    with tenant_scope(tenant.pk):
        assert services.mail_attempt(mail_id=queued.pk) == MailStatus.SENT
    assert len(mail.outbox) == 1


def test_an_invalid_address_is_recorded_as_failed_without_undoing_the_write(db):
    tenant = TenantFactory()
    (row,) = _send(tenant, "inte en adress")
    assert row.status == MailStatus.FAILED
    assert "Invalid e-mail address" in row.last_error

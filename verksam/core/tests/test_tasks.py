"""Background tasks: side effects start after commit, run in the tenant's scope, and the database
backend's worker (what `make run` starts) executes them."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from verksam.mail.models import OutgoingMail
from verksam.mail.tasks import mail_deliver
from verksam.tenancy.mails import invitation_mail_send
from verksam.tenancy.models import Invitation, Membership
from verksam.tenancy.scope import current_tenant_ids, has_scope, tenant_scope, tenant_task
from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory, UserFactory


def test_tenant_task_runs_inside_the_tenants_scope_and_leaves_it(db):
    seen = {}

    @tenant_task
    def body(*, tenant_id):
        seen["ids"] = current_tenant_ids()

    body(tenant_id=42)
    assert seen["ids"] == (42,)
    assert not has_scope()


def _invitation(tenant, email) -> Invitation:
    with tenant_scope(tenant.pk):
        invitation = Invitation(
            tenant=tenant, email=email, nonce="n1", expires_at=timezone.now() + dt.timedelta(days=7)
        )
        invitation.save()
    return invitation


def test_mail_is_sent_only_after_the_commit(db, django_capture_on_commit_callbacks):
    # Given an invitation mailed inside a transaction
    tenant = TenantFactory()
    invitation = _invitation(tenant, "new@example.se")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic(), tenant_scope(tenant.pk):
            invitation_mail_send(invitation=invitation)
        # Then nothing is sent before the commit hooks run
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["new@example.se"]]
    assert tenant.name in mail.outbox[0].subject


def test_invitation_link_lets_a_new_user_choose_a_password(db, client):
    tenant = TenantFactory()
    invitation = _invitation(tenant, "fresh@example.se")
    with TestCase.captureOnCommitCallbacks(execute=True), tenant_scope(tenant.pk):
        invitation_mail_send(invitation=invitation)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    response = client.get(link.split("8000", 1)[-1] if "8000" in link else link, follow=True)
    assert response.status_code == 200
    assert b"password1" in response.content


@pytest.mark.django_db(transaction=True)
def test_database_backend_worker_executes_enqueued_tasks():
    # Given a task enqueued on the database backend (the production backend; "db" alias in tests)
    tenant = TenantFactory()
    membership = MembershipFactory(tenant=tenant, user=UserFactory(email="queued@example.se"))
    with tenant_scope(tenant.pk):
        queued = OutgoingMail(tenant=tenant, to=membership.user.email, subject="Hej", body="x", kind="test")
        queued.save()
    mail_deliver.using(backend="db").enqueue(tenant_id=tenant.pk, mail_id=queued.pk)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []
    # When the worker processes the queue once
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "db", verbosity=0)
    # Then the task ran and the e-mail went out
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["queued@example.se"]]
    with tenant_scope(tenant.pk):
        assert Membership.objects.count() == 1

"""Invitations (issue 7, items 7 and 10): joining a company is the person's choice, the inviter learns
nothing about the person behind an address, and a link carries its own expiry without dead-ending."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.tenancy import selectors, services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Invitation, InvitationStatus, Licence, Membership
from verksam.tenancy.scope import tenant_scope

from .helpers import db_state

STOCKHOLM_EVENING = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC)  # 19:30 in Stockholm


def _actor(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def _invite(tenant, inviter, email, capture, **kwargs) -> Invitation:
    with capture(execute=True), tenant_scope(tenant.pk):
        return services.membership_invite(actor=_actor(inviter, tenant), email=email, **kwargs)


def _link(message) -> str:
    return re.search(r"https?://\S+/invitations/(\S+)/", message.body).group(1)


def _actions(tenant):
    with tenant_scope(tenant.pk):
        return list(
            AuditEvent.objects.filter(action__startswith="invitation.")
            .order_by("pk")
            .values_list("action", flat=True)
        )


def test_an_existing_user_is_not_a_member_until_they_accept(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    # given a person with an account in another company, invited as BASIC
    invitation = _invite(
        tenant, owner, stranger.email.upper(), django_capture_on_commit_callbacks, licence=Licence.BASIC
    )
    # then they are not a member: no access, not among the company's members, no membership row
    assert resolve(stranger, tenant) is None
    assert tenant.pk not in [c.tenant.pk for c in selectors.tenants_for_user(stranger)]
    with tenant_scope(tenant.pk):
        assert not Membership.objects.filter(user=stranger).exists()
    # but the invitation waits on their own list, and a mail with the link went to the address
    assert [i.pk for i in selectors.invitations_for_user(stranger)] == [invitation.pk]
    assert mail.outbox[0].to == [stranger.email]
    # when they accept
    with tenant_scope(tenant.pk):
        membership = services.invitation_accept(invitation=invitation, user=stranger)
    # then they are a member on the invitation's terms, and the acceptance is audited
    assert membership.licence == Licence.BASIC
    assert resolve(stranger, tenant) is not None
    assert selectors.invitations_for_user(stranger) == []
    assert _actions(tenant) == ["invitation.accept"]


def test_declining_creates_nothing_and_the_link_stops_working(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    invitation = _invite(tenant, owner, stranger.email, django_capture_on_commit_callbacks)
    token = _link(mail.outbox[0])
    with tenant_scope(tenant.pk):
        services.invitation_decline(invitation=invitation, user=stranger)
        assert not Membership.objects.filter(user=stranger).exists()
        assert Invitation.objects.get().status == InvitationStatus.DECLINED
        # a second answer is refused
        with pytest.raises(DomainError):
            services.invitation_accept(invitation=invitation, user=stranger)
    assert resolve(stranger, tenant) is None
    assert selectors.invitation_get_by_link(token)[1].status == InvitationStatus.DECLINED
    assert _actions(tenant) == ["invitation.decline"]


def test_someone_else_cannot_accept_an_invitation(
    tenant, owner, stranger, employee, django_capture_on_commit_callbacks
):
    invitation = _invite(tenant, owner, stranger.email, django_capture_on_commit_callbacks)
    # when a user who is not the invitee tries / then the invitation does not exist for them
    with tenant_scope(tenant.pk), pytest.raises(NotFound):
        services.invitation_accept(invitation=invitation, user=employee)
    assert resolve(stranger, tenant) is None


def test_invite_works_the_same_whether_or_not_the_address_has_an_account(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    # given one address with an account elsewhere and one without
    actor = _actor(owner, tenant)

    def invite(email):
        with CaptureQueriesContext(connection) as ctx, tenant_scope(tenant.pk):
            invitation = services.membership_invite(actor=actor, email=email, name="Namn")
        return [re.sub(r"'[^']*'|\d+|NULL", "?", q["sql"]) for q in ctx.captured_queries], invitation

    known_sql, known = invite(stranger.email)
    new_sql, new = invite("ny@example.se")
    # then the same statements run, and the invitations read the same: the address only
    assert known_sql == new_sql
    assert str(known) == stranger.email
    assert stranger.name not in str(known)
    with tenant_scope(tenant.pk):
        labels = list(
            AuditEvent.objects.filter(action="membership.invite")
            .order_by("pk")
            .values_list("target_label", flat=True)
        )
    assert labels == [stranger.email, "ny@example.se"]


def test_a_new_address_gets_an_account_only_by_accepting(tenant, owner, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    invitation = _invite(tenant, owner, " Ny@Example.se ", django_capture_on_commit_callbacks, name="Nina")
    assert invitation.email == "ny@example.se"
    assert not User.objects.filter(email="ny@example.se").exists()
    with tenant_scope(tenant.pk):
        membership = services.invitation_accept_new_account(
            invitation=invitation, name="Nina Ny", password="a-good-long-passphrase-1"
        )
    assert membership.user.name == "Nina Ny"
    assert membership.user.check_password("a-good-long-passphrase-1")
    assert resolve(membership.user, tenant) is not None


def test_a_weak_password_is_refused_and_nothing_is_created(tenant, owner, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    invitation = _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(ValidationError):
        services.invitation_accept_new_account(invitation=invitation, name="Nina", password="123")
    assert db_state(tenant) == before


def test_an_address_already_invited_is_a_conflict(tenant, owner, django_capture_on_commit_callbacks):
    _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Conflict) as exc:
        services.membership_invite(actor=_actor(owner, tenant), email="NY@example.se")
    assert exc.value.code == "duplicate_invitation"
    assert db_state(tenant) == before


# --- item 10: the link carries its own expiry; resend; renew; revoke ----------------------------------


def test_the_mail_says_until_when_the_link_works(tenant, owner, django_capture_on_commit_callbacks):
    with time_machine.travel(STOCKHOLM_EVENING, tick=False):
        _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    assert "Länken gäller till 8 dec 2026 kl. 19:30." in mail.outbox[0].body


def test_an_expired_link_still_names_its_invitation_and_a_new_link_can_be_asked_for(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    with time_machine.travel(STOCKHOLM_EVENING, tick=False):
        invitation = _invite(tenant, owner, stranger.email, django_capture_on_commit_callbacks)
    old = _link(mail.outbox[0])
    with time_machine.travel(STOCKHOLM_EVENING + dt.timedelta(days=8), tick=False):
        link, found = selectors.invitation_get_by_link(old)
        assert link.is_expired and found.pk == invitation.pk
        # accepting through it is refused
        with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
            services.invitation_accept(invitation=found, user=stranger)
        assert exc.value.code == "invitation_expired"
        # asking for a new link mails the invited address a new one; the old stops working
        with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant.pk):
            assert services.invitation_renew(invitation=found) is True
        assert mail.outbox[1].to == [stranger.email]
        new = _link(mail.outbox[1])
        assert selectors.invitation_get_by_link(old) is None
        link, found = selectors.invitation_get_by_link(new)
        assert not link.is_expired
        # the same expired link cannot ask twice
        with tenant_scope(tenant.pk):
            assert services.invitation_renew(invitation=found) is False
        with tenant_scope(tenant.pk):
            services.invitation_accept(invitation=found, user=stranger)
    assert _actions(tenant) == ["invitation.renew", "invitation.accept"]


def test_resend_replaces_the_link_and_the_old_one_stops_working(
    tenant, owner, django_capture_on_commit_callbacks
):
    invitation = _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    old = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant.pk):
        services.invitation_resend(actor=_actor(owner, tenant), invitation=invitation)
    new = _link(mail.outbox[1])
    assert old != new
    assert selectors.invitation_get_by_link(old) is None
    assert selectors.invitation_get_by_link(new)[1].pk == invitation.pk
    assert _actions(tenant) == ["invitation.resend"]


def test_a_mail_queued_before_a_resend_is_not_sent(tenant, owner, django_capture_on_commit_callbacks):
    # given the first mail still queued when the invitation is sent again
    actor = _actor(owner, tenant)
    with django_capture_on_commit_callbacks(execute=False) as first, tenant_scope(tenant.pk):
        invitation = services.membership_invite(actor=actor, email="ny@example.se")
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant.pk):
        services.invitation_resend(actor=actor, invitation=invitation)
    # when the stale task finally runs / then it sends nothing: only the current link is mailed
    for callback in first:
        callback()
    assert len(mail.outbox) == 1


def test_revoke_stops_the_link(tenant, owner, django_capture_on_commit_callbacks):
    invitation = _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    token = _link(mail.outbox[0])
    with tenant_scope(tenant.pk):
        services.invitation_revoke(actor=_actor(owner, tenant), invitation=invitation)
        services.invitation_revoke(actor=_actor(owner, tenant), invitation=invitation)  # twice: no-op
        with pytest.raises(DomainError):
            services.invitation_accept_new_account(
                invitation=invitation, name="X", password="a-good-long-pass-9"
            )
    assert not selectors.invitation_get_by_link(token)[1].is_pending
    assert _actions(tenant) == ["invitation.revoke"]


def test_a_forged_or_altered_link_names_nothing(tenant, owner, django_capture_on_commit_callbacks):
    _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    token = _link(mail.outbox[0])
    assert selectors.invitation_get_by_link(token[:-2] + "xx") is None
    assert selectors.invitation_get_by_link("nonsense") is None


@pytest.mark.parametrize("role", ["attestant", "employee"])
def test_only_user_admins_invite_resend_and_revoke(
    request, tenant, owner, role, django_capture_on_commit_callbacks
):
    invitation = _invite(tenant, owner, "ny@example.se", django_capture_on_commit_callbacks)
    actor = _actor(request.getfixturevalue(role), tenant)
    before = db_state(tenant)
    with tenant_scope(tenant.pk):
        for call in (
            lambda: services.membership_invite(actor=actor, email="x@example.se"),
            lambda: services.invitation_resend(actor=actor, invitation=invitation),
            lambda: services.invitation_revoke(actor=actor, invitation=invitation),
        ):
            with pytest.raises(Forbidden):
                call()
        assert Invitation.objects.get().nonce == invitation.nonce
    assert db_state(tenant) == before
    assert len(mail.outbox) == 1

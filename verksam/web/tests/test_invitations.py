"""Invitation pages (issue 7 items 7 and 10): the e-mailed link (accept, decline, an expired link asks
for a new one), the start page's "Invitations", and resend / withdraw on the Users page — with the
trio: other tenant -> 404, authorization matrix, constant query count."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from verksam.tenancy import services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Invitation, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, db_state, sv

ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ADMINS = {"owner", "partner_full"}
NOW = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC)  # 19:30 in Stockholm


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def _form(email, **extra) -> dict:
    return {"email": email, "licence": "LIGHT", "salary_form": "monthly", "work_day_minutes": "8", **extra}


def _invite(client, tenant, email, **extra):
    return client.post(reverse("web:member_invite", args=[tenant.slug]), _form(email, **extra), follow=True)


def _token(message) -> str:
    return re.search(r"/invitations/(\S+)/", message.body).group(1)


def _invitation(tenant, email) -> Invitation:
    with tenant_scope(tenant.pk):
        return Invitation.objects.get(email=email)


def _is_member(tenant, user) -> bool:
    return resolve(user, tenant) is not None


# --- item 7: the inviter sees only the address ------------------------------------------------------


def test_the_inviter_never_sees_the_name_or_that_the_address_has_an_account(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    client = login_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        known = _invite(client, tenant, stranger.email, name="")
        unknown = _invite(client, tenant, "ny@example.se", name="")
    # then both answers are the same, word for word but for the address
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain

    def said(response, email):
        return [str(m).replace(email, "ADDRESS") for m in response.context["messages"]]

    assert said(known, stranger.email) == said(unknown, "ny@example.se") != []
    # and neither the Users page nor the audit log names the person behind the address
    for url in (reverse("web:members", args=[tenant.slug]), reverse("web:audit", args=[tenant.slug])):
        page = client.get(url).content.decode()
        assert stranger.email in page
        assert stranger.name not in page
    assert _is_member(tenant, stranger) is False


def test_an_invited_person_gets_404_on_the_company_until_they_accept_from_the_start_page(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, stranger.email)
    client = login_client(stranger)
    assert client.get(reverse("web:dashboard", args=[tenant.slug])).status_code == 404
    # the start page lists the invitation (and does not skip to their only company)
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert sv("Invitations") in home.content.decode() and tenant.name in home.content.decode()
    invitation = _invitation(tenant, stranger.email)
    response = client.post(reverse("web:my_invitation", args=[invitation.pk, "accept"]))
    assert response.status_code == 302 and response.url == reverse("web:dashboard", args=[tenant.slug])
    assert client.get(reverse("web:dashboard", args=[tenant.slug])).status_code == 200


def test_decline_from_the_start_page_creates_nothing(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, stranger.email)
    invitation = _invitation(tenant, stranger.email)
    client = login_client(stranger)
    assert client.post(reverse("web:my_invitation", args=[invitation.pk, "decline"])).status_code == 302
    assert not _is_member(tenant, stranger)
    assert _invitation(tenant, stranger.email).status == "declined"
    assert sv("Invitations") not in client.get(reverse("web:home")).content.decode()


def test_another_users_invitation_answers_404_from_the_start_page(
    tenant, owner, stranger, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, stranger.email)
    invitation = _invitation(tenant, stranger.email)
    before = db_state(tenant)
    for answer in ("accept", "decline", "new-link"):
        response = login_client(employee).post(reverse("web:my_invitation", args=[invitation.pk, answer]))
        assert response.status_code == 404
    assert db_state(tenant) == before


# --- the e-mailed link ---------------------------------------------------------------------------------


def test_a_new_address_accepts_through_the_link_by_choosing_a_password(
    tenant, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, "ny@example.se", name="Nina")
    url = reverse("web:invitation", args=[_token(mail.outbox[0])])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert tenant.name in page.content.decode()
    # a password that breaks the rules is refused and creates nothing
    weak = client.post(url, {"answer": "accept", "name": "Nina Ny", "password1": "123", "password2": "123"})
    assert weak.status_code == 422
    assert not get_user_model().objects.filter(email="ny@example.se").exists()
    ok = client.post(
        url,
        {
            "answer": "accept",
            "name": "Nina Ny",
            "password1": "lagom-langt-losen-7",
            "password2": "lagom-langt-losen-7",
        },
    )
    assert ok.status_code == 302 and ok.url == reverse("web:dashboard", args=[tenant.slug])
    user = get_user_model().objects.get(email="ny@example.se")
    assert user.name == "Nina Ny" and _is_member(tenant, user)
    assert client.get(ok.url).status_code == 200  # logged in as the new member
    # the link has been used
    assert client.get(url).status_code == 404


def test_an_existing_account_must_log_in_as_itself_to_answer_the_link(
    tenant, owner, stranger, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, stranger.email)
    url = reverse("web:invitation", args=[_token(mail.outbox[0])])
    # anonymous: asked to log in, and a posted "accept" does nothing
    anonymous = Client()
    assert reverse("accounts:login") in anonymous.get(url).content.decode()
    anonymous.post(
        url,
        {
            "answer": "accept",
            "name": "X",
            "password1": "lagom-langt-losen-7",
            "password2": "lagom-langt-losen-7",
        },
    )
    # someone else logged in cannot accept either
    login_client(employee).post(url, {"answer": "accept"})
    assert not _is_member(tenant, stranger)
    assert _invitation(tenant, stranger.email).status == "pending"
    # the invited person, logged in, accepts
    response = login_client(stranger).post(url, {"answer": "accept"})
    assert response.status_code == 302
    assert _is_member(tenant, stranger)


def test_a_new_address_can_decline_through_the_link(tenant, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, "ny@example.se")
    url = reverse("web:invitation", args=[_token(mail.outbox[0])])
    response = Client().post(url, {"answer": "decline"})
    assert response.status_code == 200
    assert _invitation(tenant, "ny@example.se").status == "declined"
    assert not get_user_model().objects.filter(email="ny@example.se").exists()


def test_a_broken_link_shows_a_swedish_page(db):
    response = Client().get(reverse("web:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert sv("The link no longer works") in response.content.decode()


# --- item 10: an expired link does not dead-end ---------------------------------------------------------


def test_an_expired_link_explains_itself_and_sends_a_new_link_to_the_invited_address_only(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, stranger.email)
    # the mail says until when the link works
    assert "Länken gäller till 8 dec 2026 kl. 19:30." in mail.outbox[0].body
    old = reverse("web:invitation", args=[_token(mail.outbox[0])])
    with time_machine.travel(NOW + dt.timedelta(days=7, minutes=1), tick=False):
        anyone = Client()  # whoever holds the link: no login
        page = anyone.get(old)
        assert page.status_code == 410
        html = page.content.decode()
        assert "Skicka en ny länk" in html and "8 dec 2026" in html
        assert stranger.email not in html and stranger.name not in html
        with django_capture_on_commit_callbacks(execute=True):
            sent = anyone.post(reverse("web:invitation_new_link", args=[_token(mail.outbox[0])]))
        assert sent.status_code == 200
        assert stranger.email not in sent.content.decode()
        assert [m.to for m in mail.outbox] == [[stranger.email], [stranger.email]]
        assert "Länken gäller till 15 dec 2026" in mail.outbox[1].body
        # the old link is dead and cannot ask again; the new one works
        assert anyone.get(old).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            again = anyone.post(reverse("web:invitation_new_link", args=[_token(mail.outbox[0])]))
        csrf = re.compile(rb"[A-Za-z0-9]{64}")  # the page's CSRF token differs per request
        assert csrf.sub(b"", again.content) == csrf.sub(b"", sent.content)  # the same answer either way
        assert len(mail.outbox) == 2
        new = reverse("web:invitation", args=[_token(mail.outbox[1])])
        assert login_client(stranger).post(new, {"answer": "accept"}).status_code == 302
    assert _is_member(tenant, stranger)


def test_asking_for_a_new_link_on_a_valid_link_sends_nothing(
    tenant, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, "ny@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("web:invitation_new_link", args=[_token(mail.outbox[0])]))
    assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_resend_from_the_users_page_kills_the_old_link(tenant, owner, django_capture_on_commit_callbacks):
    client = login_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, tenant, "ny@example.se")
    users = client.get(reverse("web:members", args=[tenant.slug])).content.decode()
    assert "Skicka ny inbjudan" in users and "Inbjuden" in users
    invitation = _invitation(tenant, "ny@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:invitation_resend", args=[tenant.slug, invitation.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ny@example.se"], ["ny@example.se"]]
    assert Client().get(reverse("web:invitation", args=[_token(mail.outbox[0])])).status_code == 404
    assert Client().get(reverse("web:invitation", args=[_token(mail.outbox[1])])).status_code == 200


def test_withdraw_from_the_users_page(tenant, owner, django_capture_on_commit_callbacks):
    client = login_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, tenant, "ny@example.se")
    invitation = _invitation(tenant, "ny@example.se")
    assert client.post(reverse("web:invitation_revoke", args=[tenant.slug, invitation.pk])).status_code == 302
    assert _invitation(tenant, "ny@example.se").status == "revoked"
    assert client.get(reverse("web:members", args=[tenant.slug])).context["invitations"] == []
    assert Client().get(reverse("web:invitation", args=[_token(mail.outbox[0])])).status_code == 404


# --- the trio ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["web:invitation_resend", "web:invitation_revoke"])
def test_another_tenants_admin_gets_404(
    tenant, other_tenant, owner, stranger, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, "ny@example.se")
    invitation = _invitation(tenant, "ny@example.se")
    before = db_state(tenant, other_tenant)
    client = login_client(stranger)  # TOTAL in the other tenant
    for slug in (tenant.slug, other_tenant.slug):
        assert client.post(reverse(name, args=[slug, invitation.pk])).status_code == 404
    assert db_state(tenant, other_tenant) == before
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["web:invitation_resend", "web:invitation_revoke"])
def test_resend_and_withdraw_matrix(
    request, tenant, everyone, owner, role, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, "ny@example.se")
    invitation = _invitation(tenant, "ny@example.se")
    before = db_state(tenant)
    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(request.getfixturevalue(role)).post(
            reverse(name, args=[tenant.slug, invitation.pk])
        )
    if role in ADMINS:
        assert response.status_code == 302
        assert db_state(tenant) != before
    else:
        assert response.status_code == 403
        assert db_state(tenant) == before
        assert len(mail.outbox) == 1


def test_users_page_with_invitations_has_a_constant_query_count(tenant, owner):
    actor = resolve(owner, tenant)
    client = login_client(owner)
    url = reverse("web:members", args=[tenant.slug])

    def add(n, start):
        with tenant_scope(tenant.pk):
            for i in range(start, start + n):
                services.membership_invite(actor=actor, email=f"person{i}@example.se")

    add(2, 0)
    few, _ = count_queries(lambda: client.get(url))
    add(28, 2)
    many, response = count_queries(lambda: client.get(url))
    assert few == many
    assert len(response.context["invitations"]) == 30
    with tenant_scope(tenant.pk):
        assert Membership.objects.count() == 1  # invitations are not members


def test_an_expired_invitation_on_the_start_page_asks_for_a_new_link(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        _invite(login_client(owner), tenant, stranger.email)
    invitation = _invitation(tenant, stranger.email)
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        client = login_client(stranger)
        home = client.get(reverse("web:home")).content.decode()
        assert "Länken har gått ut." in home and "Skicka en ny länk" in home
        # accepting an expired invitation is refused; asking for a new link mails one
        client.post(reverse("web:my_invitation", args=[invitation.pk, "accept"]))
        assert not _is_member(tenant, stranger)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("web:my_invitation", args=[invitation.pk, "new-link"]))
        assert [m.to for m in mail.outbox] == [[stranger.email], [stranger.email]]
        assert "Länken gäller till 16 dec 2026 kl. 19:30." in mail.outbox[1].body
        assert client.post(reverse("web:my_invitation", args=[invitation.pk, "accept"])).status_code == 302
    assert _is_member(tenant, stranger)

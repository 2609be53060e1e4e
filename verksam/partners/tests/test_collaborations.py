"""Mina samarbeten, the customer view and Skapa nytt samarbete (issue 11 items 1-3, 7)."""

import datetime as dt
import itertools
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.partners import selectors
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Invitation, Licence, PartnerGrant, PartnerLevel, Tenant, Variant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import (
    MembershipFactory,
    PartnerGrantFactory,
    TenantFactory,
    UserFactory,
    make_personnummer,
)
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import accept_invitation, count_queries, db_state, membership_of, sv
from verksam.timereporting.models import DayLock, DayStatus

_n = itertools.count(9000)


def _customer(firm, *users, level=PartnerLevel.FULL, name=None):
    customer = TenantFactory(name=name or f"Kund {next(_n)} AB")
    MembershipFactory(tenant=customer, licence=Licence.TOTAL)
    for user in users:
        PartnerGrantFactory(tenant=customer, partner_tenant=firm, user=user, level=level)
    return customer


def _firm_member(firm, licence=Licence.STANDARD, email=None):
    user = UserFactory(
        email=email or f"p{next(_n)}@byra.se",
        personnummer=make_personnummer(next(_n)),
        personnummer_verified_at=timezone.now(),
    )
    MembershipFactory(tenant=firm, user=user, licence=licence)
    return user


def _actor(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


# --- Mina samarbeten ------------------------------------------------------------------------------


def test_a_partner_sees_only_the_customers_they_have_access_to(tenant, partner_full, partner_firm):
    # given a colleague at the same firm with a customer of their own, and a revoked grant of mine
    colleague = _firm_member(partner_firm)
    theirs = _customer(partner_firm, colleague, name="Kollegans Kund AB")
    revoked = _customer(partner_firm, partner_full, name="Uppsagd AB")
    with tenant_scope(revoked.pk):
        PartnerGrant.objects.update(revoked_at=timezone.now())
    # when I open Mina samarbeten
    rows = selectors.collaboration_list(actor=_actor(partner_full, partner_firm))
    # then only my own active customer is listed, with my level
    assert [(r.customer.pk, r.level) for r in rows] == [(tenant.pk, "FULL")]
    assert theirs.pk not in [r.customer.pk for r in rows]


def test_the_firms_total_user_sees_the_whole_firm_and_who_has_which_access(
    tenant, partner_full, partner_firm
):
    colleague = _firm_member(partner_firm)
    theirs = _customer(partner_firm, colleague, level=PartnerLevel.LIMITED, name="Kollegans Kund AB")
    rows = selectors.collaboration_list(actor=_actor(partner_full, partner_firm), whole_firm=True)
    by_id = {r.customer.pk: r for r in rows}
    assert set(by_id) == {tenant.pk, theirs.pk}
    assert [(p.name, p.level) for p in by_id[theirs.pk].people] == [(colleague.name, "LIMITED")]
    assert by_id[theirs.pk].level == ""  # I have no access of my own there
    # and a colleague without TOTAL asking for the whole firm gets their own list only
    rows = selectors.collaboration_list(actor=_actor(colleague, partner_firm), whole_firm=True)
    assert [r.customer.pk for r in rows] == [theirs.pk]


def test_a_person_who_left_the_firm_loses_the_list(tenant, partner_full, partner_firm):
    colleague = _firm_member(partner_firm)
    _customer(partner_firm, colleague)
    with tenant_scope(partner_firm.pk):
        membership_of(partner_firm, colleague).__class__.objects.filter(user=colleague).update(
            is_active=False
        )
    rows = selectors.collaboration_list(actor=_actor(partner_full, partner_firm), whole_firm=True)
    assert [r.customer.pk for r in rows] == [tenant.pk]


def test_search_and_sort(partner_full, partner_firm, tenant):
    _customer(partner_firm, partner_full, name="Bageriet AB")
    _customer(partner_firm, partner_full, name="Åkeriet AB")
    actor = _actor(partner_full, partner_firm)
    names = [r.customer.name for r in selectors.collaboration_list(actor=actor, sort="name")]
    assert names == sorted(names, key=str.casefold)
    assert [r.customer.name for r in selectors.collaboration_list(actor=actor, query="bager")] == [
        "Bageriet AB"
    ]
    assert [r.customer.name for r in selectors.collaboration_list(actor=actor, query=tenant.orgnr[:6])] != []


def test_badges_count_time_waiting_and_zero_for_features_not_built(
    tenant, employee, partner_full, partner_firm
):
    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        for day in (5, 6):
            DayLock.objects.create(tenant=tenant, membership=member, date=dt.date(2026, 1, day))
    (row,) = selectors.collaboration_list(actor=_actor(partner_full, partner_firm))
    assert row.badges["time"] == 2
    assert row.badges["payroll"] == 0 and row.badges["expenses"] == 0 and row.badges["card_purchases"] == 0
    assert row.attention >= 2


def test_the_time_badge_counts_every_day_with_unattested_time_up_to_today(
    tenant, employee, partner_full, partner_firm, project_for_badges
):
    # given: two locked days (one with nothing to report), a day reported but not locked, an attested
    # day, and a day planned ahead (issue 11 item 1: unattested time before the cut-off)
    from verksam.timereporting.tests.factories import TimeEntryFactory

    member = membership_of(tenant, employee)
    today = timezone.localdate()
    with tenant_scope(tenant.pk):
        DayLock.objects.create(tenant=tenant, membership=member, date=dt.date(2026, 1, 5))
        TimeEntryFactory(membership=member, date=dt.date(2026, 1, 5), project=project_for_badges)
        DayLock.objects.create(tenant=tenant, membership=member, date=dt.date(2026, 1, 6))
        TimeEntryFactory(membership=member, date=dt.date(2026, 1, 7), project=project_for_badges)
        TimeEntryFactory(membership=member, date=dt.date(2026, 1, 7), project=project_for_badges, minutes=30)
        TimeEntryFactory(membership=member, date=dt.date(2026, 1, 8), project=project_for_badges)
        DayLock.objects.create(
            tenant=tenant, membership=member, date=dt.date(2026, 1, 8), status=DayStatus.ATTESTED,
            attested_at=dt.datetime(2026, 1, 9, tzinfo=dt.UTC),
        )  # fmt: skip
        TimeEntryFactory(membership=member, date=today + dt.timedelta(days=3), project=project_for_badges)
    (row,) = selectors.collaboration_list(actor=_actor(partner_full, partner_firm))
    # then 5th (locked), 6th (locked, nothing to report) and 7th (reported, not locked: one day)
    assert row.badges["time"] == 3


@pytest.fixture
def project_for_badges(tenant):
    from verksam.projects.tests.factories import ProjectFactory

    return ProjectFactory(tenant=tenant, number="B1", name="Badge")


def _many(firm, user, n):
    for _ in range(n):
        _customer(firm, user)


def test_mina_samarbeten_has_a_constant_query_count(partner_full, partner_firm):
    client = login_client(partner_full)
    api = api_client(partner_full)
    url = reverse("web:portal", args=[partner_firm.slug])
    api_url = f"/api/v1/tenants/{partner_firm.pk}/collaborations?whole_firm=true"
    _many(partner_firm, partner_full, 2)
    api.get(api_url)  # the token's first use is recorded once
    few, response = count_queries(lambda: client.get(url + "?view=firm"))
    assert response.status_code == 200
    few_api, _ = count_queries(lambda: api.get(api_url))
    _many(partner_firm, partner_full, 28)
    many, response = count_queries(lambda: client.get(url + "?view=firm"))
    assert response.status_code == 200 and response.content.count(b"data-customer=") == 31
    many_api, answer = count_queries(lambda: api.get(api_url))
    assert answer.json()["total"] == 31
    assert (few, few_api) == (many, many_api)


def test_hundreds_of_customers_come_a_page_at_a_time_keeping_search_and_sort(
    partner_full, partner_firm, settings
):
    from verksam.web.portal import views

    views.COLLABORATIONS_PER_PAGE, before = 5, views.COLLABORATIONS_PER_PAGE
    try:
        _many(partner_firm, partner_full, 11)  # plus the fixture's customer: 12
        client = login_client(partner_full)
        url = reverse("web:portal", args=[partner_firm.slug])
        first = client.get(url + "?sort=attention", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
        assert first.count("data-customer=") == 5
        assert "Sida 1 av 3 (12 kunder)" in first
        assert 'href="?sort=attention&page=2"' in first
        last = client.get(url + "?sort=attention&page=3").content.decode()
        assert last.count("data-customer=") == 2
    finally:
        views.COLLABORATIONS_PER_PAGE = before


def test_the_page_and_the_api(partner_full, partner_firm, tenant, stranger, other_tenant):
    response = login_client(partner_full).get(reverse("web:portal", args=[partner_firm.slug]))
    assert response.status_code == 200
    assert tenant.name in response.content.decode()
    answer = api_client(partner_full).get(f"/api/v1/tenants/{partner_firm.pk}/collaborations")
    assert answer.status_code == 200
    assert [(i["customer_id"], i["level"]) for i in answer.json()["items"]] == [(tenant.pk, "FULL")]
    assert set(answer.json()["items"][0]["badges"]) == set(selectors.BADGE_SOURCES)
    # another company's person: 404 as for a missing one; a customer account is no firm: 404
    assert login_client(stranger).get(reverse("web:portal", args=[partner_firm.slug])).status_code == 404
    assert api_client(stranger).get(f"/api/v1/tenants/{partner_firm.pk}/collaborations").status_code == 404
    assert login_client(stranger).get(reverse("web:portal", args=[other_tenant.slug])).status_code == 404
    assert api_client(stranger).get(f"/api/v1/tenants/{other_tenant.pk}/collaborations").status_code == 404
    # inside the customer's account the partner has no portal list: it belongs to the firm's account
    assert login_client(partner_full).get(reverse("web:portal", args=[tenant.slug])).status_code == 404


# --- the customer view ----------------------------------------------------------------------------


def test_full_access_sees_every_tab_and_log_in_at_the_customer(tenant, partner_full):
    client = login_client(partner_full)
    response = client.get(reverse("web:portal_customer", args=[tenant.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("documents", "messages", "payroll", "expenses", "card_purchases", "esign"):
        assert f'data-testid="tab-{key}"' in page
    assert 'data-testid="log-in-as-customer"' in page
    response = client.get(reverse("web:portal_customer_tab", args=[tenant.slug, "payroll"]))
    assert response.status_code == 302  # Löneunderlag: the payroll pages, in the portal's frame
    assert response.url == reverse("web:payroll_basis", args=[tenant.slug])
    answer = api_client(partner_full).get(f"/api/v1/tenants/{tenant.pk}/portal").json()
    assert answer["may_log_in"] is True and answer["level"] == "FULL"
    assert [t["key"] for t in answer["tabs"]] == [
        "documents", "messages", "payroll", "expenses", "card_purchases", "esign"
    ]  # fmt: skip


def test_limited_access_sees_only_what_domain_md_lists(tenant, partner_limited):
    client = login_client(partner_limited)
    page = client.get(reverse("web:portal_customer", args=[tenant.slug])).content.decode()
    assert re.findall(r'data-testid="tab-(\w+)"', page) == ["payroll", "expenses", "card_purchases"]
    assert "log-in-as-customer" not in page
    assert client.get(reverse("web:portal_customer_tab", args=[tenant.slug, "documents"])).status_code == 403
    assert client.get(reverse("web:portal_customer_tab", args=[tenant.slug, "nonsense"])).status_code == 404
    answer = api_client(partner_limited).get(f"/api/v1/tenants/{tenant.pk}/portal").json()
    assert [t["key"] for t in answer["tabs"]] == ["payroll", "expenses", "card_purchases"]
    assert answer["may_log_in"] is False


@pytest.mark.parametrize("who", ["owner", "stranger", "revoked", "none"])
def test_the_customer_view_is_for_partners_only(request, tenant, owner, partner_full, partner_firm, who):
    if who == "revoked":
        with tenant_scope(tenant.pk):
            PartnerGrant.objects.update(revoked_at=timezone.now())
        user = partner_full
    elif who == "none":
        user = _firm_member(partner_firm)
    else:
        user = request.getfixturevalue(who)
    assert login_client(user).get(reverse("web:portal_customer", args=[tenant.slug])).status_code == 404
    assert api_client(user).get(f"/api/v1/tenants/{tenant.pk}/portal").status_code == 404


# --- Skapa nytt samarbete -------------------------------------------------------------------------


def _create(client, firm, **data):
    payload = {
        "name": "Nya Kunden AB",
        "orgnr": "556036-0793",
        "contact_email": "vd@nyakunden.se",
        "contact_name": "Vera Vd",
    }
    payload.update(data)
    return client.post(reverse("web:portal_collaboration_create", args=[firm.slug]), payload)


def test_a_firm_creates_a_collaboration_and_the_contact_logs_in(
    partner_full, partner_firm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(login_client(partner_full), partner_firm)
    assert response.status_code == 302
    customer = Tenant.objects.get(name="Nya Kunden AB")
    assert customer.variant == Variant.DOKUMENT
    # the creating firm person holds FULL access and the customer is on their list
    actor = _actor(partner_full, customer)
    assert actor.partner_level == "FULL" and actor.partner_tenant_id == partner_firm.pk
    assert customer.pk in [
        r.customer.pk for r in selectors.collaboration_list(actor=_actor(partner_full, partner_firm))
    ]
    # the contact was invited by e-mail as the account's administrator
    with tenant_scope(customer.pk):
        invitation = Invitation.objects.get()
        assert AuditEvent.objects.filter(action="partner_grant.create").exists()
    assert invitation.licence == Licence.TOTAL and invitation.email == "vd@nyakunden.se"
    assert mail.outbox[-1].to == ["vd@nyakunden.se"]
    membership = accept_invitation(customer, invitation)
    assert membership.licence == Licence.TOTAL
    assert _actor(membership.user, customer).is_total


def test_creating_through_the_api(partner_full, partner_firm):
    answer = api_client(partner_full).post(
        f"/api/v1/tenants/{partner_firm.pk}/collaborations",
        {"name": "Api Kund AB", "orgnr": "5560360793", "contact_email": "a@kund.se"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert _actor(partner_full, Tenant.objects.get(pk=answer.json()["customer_id"])).partner_level == "FULL"


@pytest.mark.parametrize("who", ["standard_member", "partner_in_customer", "stranger"])
def test_only_the_firms_administrators_create_collaborations(
    request, tenant, partner_full, partner_firm, who
):
    if who == "standard_member":
        user, firm, expected = _firm_member(partner_firm), partner_firm, 403
    elif who == "partner_in_customer":
        user, firm, expected = partner_full, tenant, 403
    else:
        user, firm, expected = request.getfixturevalue("stranger"), partner_firm, 404
    before_tenants = Tenant.objects.count()
    before = db_state(partner_firm, tenant)
    assert _create(login_client(user), firm).status_code == expected
    answer = api_client(user).post(
        f"/api/v1/tenants/{firm.pk}/collaborations",
        {"name": "X AB", "orgnr": "5560360793", "contact_email": "x@kund.se"},
        content_type="application/json",
    )
    assert answer.status_code == expected
    assert Tenant.objects.count() == before_tenants
    assert db_state(partner_firm, tenant)["grants"] == before["grants"]


def test_bad_input_is_refused_in_swedish_and_creates_nothing(partner_full, partner_firm):
    client = login_client(partner_full)
    count = Tenant.objects.count()
    response = _create(client, partner_firm, orgnr="123")
    assert response.status_code == 422
    # the contact may not be the firm's own staff (granting to your own firm)
    response = _create(client, partner_firm, contact_email=partner_full.email)
    assert response.status_code == 422
    own_firm = sv(
        "An accounting firm cannot add itself or its own staff as users of the company. "
        "The company's administrator gives accounting-firm people access under Accounting firms."
    )
    assert own_firm in response.content.decode()
    response = _create(client, partner_firm, orgnr=partner_firm.orgnr)
    assert response.status_code == 422
    assert Tenant.objects.count() == count


# --- the exceptions inbox -------------------------------------------------------------------------


def test_the_inbox_lists_what_waits_with_links_and_a_constant_query_count(
    tenant, employee, partner_full, partner_limited, partner_firm
):
    from verksam.documents import services as documents
    from verksam.documents.tests.helpers import as_, pdf
    from verksam.messaging import services as messaging

    member = membership_of(tenant, employee)
    folder = as_(
        partner_full,
        tenant,
        documents.folder_create,
        firm_id=partner_firm.pk,
        name="A",
        customer_access="edit",
    )
    as_(employee, tenant, documents.document_upload, folder=folder, upload=pdf())
    as_(employee, tenant, messaging.message_post, firm_id=partner_firm.pk, key=f"m{member.pk}", body="Hej")
    with tenant_scope(tenant.pk):
        DayLock.objects.create(tenant=tenant, membership=member, date=dt.date(2026, 1, 5))
    client = login_client(partner_full)
    url = reverse("web:portal_inbox", args=[partner_firm.slug])
    few, response = count_queries(lambda: client.get(url))
    page = response.content.decode()
    for key in ("messages", "documents", "time"):
        assert f'data-line="{tenant.slug}-{key}"' in page
    assert reverse("web:messages", args=[tenant.slug, partner_firm.pk]) in page
    assert reverse("web:attest_queue", args=[tenant.slug]) in page
    answer = api_client(partner_full).get(f"/api/v1/tenants/{partner_firm.pk}/portal-inbox").json()
    assert {(line["key"], line["count"]) for line in answer} == {
        ("messages", 1),
        ("documents", 1),
        ("time", 1),
    }
    # a LIMITED partner's inbox holds none of what their grant cannot open
    lines = selectors.inbox_list(actor=_actor(partner_limited, partner_firm))
    assert [line.key for line in lines] == []
    # constant queries with more customers
    _many(partner_firm, partner_full, 20)
    many, _ = count_queries(lambda: client.get(url))
    assert few == many


@pytest.mark.postgres
def test_the_firm_reads_its_peoples_grants_but_cannot_write_one(
    tenant, partner_full, partner_firm, other_tenant
):
    # row-level security (rule 10): the SELECT-only policy lets the firm in scope read the grants its
    # people hold at customers, and nothing more
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL")
    with tenant_scope(partner_firm.pk):
        assert list(PartnerGrant.all_tenants.values_list("tenant_id", flat=True)) == [tenant.pk]
        with pytest.raises(DatabaseError), transaction.atomic():
            PartnerGrant.all_tenants.create(
                tenant=other_tenant, partner_tenant=partner_firm, user=partner_full, level="FULL"
            )
        # nor change one it can read
        assert PartnerGrant.all_tenants.filter(tenant=tenant).update(level="LIMITED") == 0
    with tenant_scope(tenant.pk):
        assert PartnerGrant.objects.get().level == "FULL"

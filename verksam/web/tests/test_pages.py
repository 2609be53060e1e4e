"""The DESIGN.md trio for every tenant page: other tenant -> 404, authorization matrix (refused
writes change nothing), constant query count (2 rows vs 30 rows)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.audit.services import record
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Invitation, Licence, Membership, PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, PartnerGrantFactory, TenantFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, db_state, membership_of, sv

ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ADMINS = {"owner", "partner_full"}
# Only the customer's own TOTAL users manage accounting-firm grants (a FULL partner may not).
GRANT_ADMINS = {"owner"}


def _grant(tenant, user) -> PartnerGrant:
    with tenant_scope(tenant.pk):
        return PartnerGrant.objects.get(user=user)


def _edit_data(m: Membership, **changes) -> dict:
    data = {
        "licence": m.licence,
        "approver": m.approver_id or "",
        "employment_number": m.employment_number,
        "salary_form": m.salary_form,
        "is_active": "on" if m.is_active else "",
        "work_day_minutes": "8",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists, so the pages list a realistic company."""


# --- (a) another tenant's user and forged ids answer 404 ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("web:dashboard", "get"),
        ("web:members", "get"),
        ("web:member_invite", "get"),
        ("web:member_invite", "post"),
        ("web:partner_grants", "get"),
        ("web:partner_grants", "post"),
        ("web:audit", "get"),
    ],
)
def test_stranger_gets_404_on_every_tenant_page(tenant, everyone, stranger, name, method):
    before = db_state(tenant)
    data = {
        "email": "x@example.se",
        "name": "X",
        "licence": "TOTAL",
        "salary_form": "monthly",
        "work_day_minutes": "8",
    }
    if name == "web:partner_grants":
        data = {"personnummer": "19900101-0017", "level": "FULL"}
    client = login_client(stranger)
    response = getattr(client, method)(reverse(name, args=[tenant.slug]), data if method == "post" else None)
    assert response.status_code == 404
    assert db_state(tenant) == before


def test_stranger_gets_404_on_object_pages(tenant, everyone, employee, partner_limited, stranger):
    before = db_state(tenant)
    client = login_client(stranger)
    member = membership_of(tenant, employee)
    grant = _grant(tenant, partner_limited)
    assert client.get(reverse("web:member_edit", args=[tenant.slug, member.pk])).status_code == 404
    assert (
        client.post(
            reverse("web:member_edit", args=[tenant.slug, member.pk]), {"licence": "TOTAL"}
        ).status_code
        == 404
    )
    assert client.post(reverse("web:partner_grant_revoke", args=[tenant.slug, grant.pk])).status_code == 404
    assert db_state(tenant) == before


def test_unknown_tenant_answers_404_like_a_foreign_one(owner):
    assert login_client(owner).get(reverse("web:dashboard", args=["finns-inte"])).status_code == 404


def test_forged_membership_id_of_another_tenant_answers_404_and_changes_nothing(tenant, owner, other_tenant):
    # given the owner of tenant and a membership id belonging to other_tenant
    foreign = MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)
    before = db_state(tenant, other_tenant)
    url = reverse("web:member_edit", args=[tenant.slug, foreign.pk])
    client = login_client(owner)
    # when it is opened or posted through the tenant's own URL / then 404 and nothing changed
    assert client.get(url).status_code == 404
    assert client.post(url, _edit_data(foreign, licence="TOTAL")).status_code == 404
    assert db_state(tenant, other_tenant) == before


def test_forged_grant_id_of_another_tenant_answers_404_and_changes_nothing(tenant, owner, other_tenant):
    foreign = PartnerGrantFactory(tenant=other_tenant, level="FULL")
    before = db_state(tenant, other_tenant)
    response = login_client(owner).post(reverse("web:partner_grant_revoke", args=[tenant.slug, foreign.pk]))
    assert response.status_code == 404
    assert db_state(tenant, other_tenant) == before


def test_forged_approver_of_another_tenant_is_refused_by_the_form(tenant, owner, employee, other_tenant):
    foreign = MembershipFactory(tenant=other_tenant)
    member = membership_of(tenant, employee)
    before = db_state(tenant, other_tenant)
    url = reverse("web:member_edit", args=[tenant.slug, member.pk])
    response = login_client(owner).post(url, _edit_data(member, approver=foreign.pk))
    assert response.status_code == 422
    assert "approver" in response.context["form"].errors
    assert db_state(tenant, other_tenant) == before


# --- (b) authorization matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_is_open_to_everyone_with_access(request, tenant, everyone, role):
    response = login_client(request.getfixturevalue(role)).get(reverse("web:dashboard", args=[tenant.slug]))
    assert response.status_code == 200
    assert response.context["actor"].tenant == tenant


@pytest.mark.parametrize("role", ROLES)
def test_partner_banner_shows_only_for_partners(request, tenant, everyone, role):
    response = login_client(request.getfixturevalue(role)).get(reverse("web:dashboard", args=[tenant.slug]))
    assert ('class="banner partner"' in response.content.decode()) == role.startswith("partner")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["web:members", "web:member_invite", "web:partner_grants", "web:audit"])
def test_admin_pages_matrix(request, tenant, everyone, role, name):
    response = login_client(request.getfixturevalue(role)).get(reverse(name, args=[tenant.slug]))
    allowed = {
        "web:partner_grants": GRANT_ADMINS,
        "web:members": ADMINS | {"partner_limited"},  # read-only: employees' contact and salary data
    }.get(name, ADMINS)
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_member_edit_matrix(request, tenant, everyone, employee, role):
    # given an employee's membership / when each role saves a new employment number
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    url = reverse("web:member_edit", args=[tenant.slug, member.pk])
    client = login_client(request.getfixturevalue(role))
    assert client.get(url).status_code == (200 if role in ADMINS else 403)
    response = client.post(url, _edit_data(member, employment_number="4711"))
    # then admins save it, everyone else gets 403 and nothing changes
    if role in ADMINS:
        assert response.status_code == 302
        assert membership_of(tenant, employee).employment_number == "4711"
    else:
        assert response.status_code == 403
        assert db_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_member_invite_matrix(request, tenant, everyone, role):
    before = db_state(tenant)
    response = login_client(request.getfixturevalue(role)).post(
        reverse("web:member_invite", args=[tenant.slug]),
        {
            "email": "ny@example.se",
            "name": "Ny",
            "licence": "LIGHT",
            "salary_form": "monthly",
            "work_day_minutes": "8",
        },
    )
    if role in ADMINS:
        assert response.status_code == 302
        with tenant_scope(tenant.pk):  # an invitation; a member only once they accept (issue 7)
            assert Invitation.objects.filter(email="ny@example.se", status="pending").exists()
            assert not Membership.objects.filter(user__email="ny@example.se").exists()
    else:
        assert response.status_code == 403
        assert db_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_partner_grant_create_matrix(request, tenant, everyone, partner_firm, role):
    person = UserFactory(personnummer="199001010017", personnummer_verified_at=timezone.now())
    MembershipFactory(tenant=partner_firm, user=person)
    before = db_state(tenant)
    response = login_client(request.getfixturevalue(role)).post(
        reverse("web:partner_grants", args=[tenant.slug]), {"personnummer": "900101-0017", "level": "LIMITED"}
    )
    if role in GRANT_ADMINS:
        assert response.status_code == 302
        assert _grant(tenant, person).level == "LIMITED"
    else:
        assert response.status_code == 403
        assert db_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_partner_grant_revoke_matrix(request, tenant, everyone, partner_limited, role):
    grant = _grant(tenant, partner_limited)
    before = db_state(tenant)
    client = login_client(request.getfixturevalue(role))
    url = reverse("web:partner_grant_revoke", args=[tenant.slug, grant.pk])
    if role in GRANT_ADMINS:
        assert client.get(url).status_code == 405
    response = client.post(url)
    if role in GRANT_ADMINS:
        assert response.status_code == 302
        assert _grant(tenant, partner_limited).revoked_at is not None
    else:
        assert response.status_code == 403
        assert db_state(tenant) == before


def test_home_goes_straight_to_the_only_company(tenant, owner):
    response = login_client(owner).get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard", args=[tenant.slug])


def test_home_lists_companies_and_partner_access(tenant, partner_full, partner_firm):
    response = login_client(partner_full).get(reverse("web:home"))
    assert response.status_code == 200
    assert [c.tenant for c in response.context["choices"]] == [partner_firm, tenant]


def test_home_of_a_user_without_company(db):
    response = login_client(UserFactory()).get(reverse("web:home"))
    assert response.status_code == 200
    assert response.context["choices"] == []


@pytest.mark.parametrize("role", ["owner", "attestant", "employee", "stranger"])
def test_home_never_lists_another_tenant(request, tenant, everyone, role):
    user = request.getfixturevalue(role)
    response = login_client(user).get(reverse("web:home"), follow=True)
    assert response.status_code == 200
    expected = "annat" if role == "stranger" else "snickeri"
    assert response.redirect_chain[-1][0].endswith(f"/t/{expected}/")


# --- domain rules through the UI ---------------------------------------------------------------------


def test_ui_refuses_demoting_the_last_total_user_with_the_swedish_message(tenant, owner, employee):
    member = membership_of(tenant, owner)
    before = db_state(tenant)
    response = login_client(owner).post(
        reverse("web:member_edit", args=[tenant.slug, member.pk]), _edit_data(member, licence="STANDARD")
    )
    assert response.status_code == 422
    message = sv("The company must always have at least one active user with the TOTAL licence.")
    assert message in response.content.decode()
    assert db_state(tenant) == before


def test_ui_refuses_deactivating_the_last_total_user(tenant, owner):
    member = membership_of(tenant, owner)
    before = db_state(tenant)
    data = _edit_data(member)
    data.pop("is_active")
    response = login_client(owner).post(reverse("web:member_edit", args=[tenant.slug, member.pk]), data)
    assert response.status_code == 422
    assert db_state(tenant) == before


def test_ui_demotes_a_total_user_when_another_exists(tenant, owner, attestant):
    with tenant_scope(tenant.pk):
        Membership.objects.filter(user=attestant).update(licence=Licence.TOTAL)
    member = membership_of(tenant, owner)
    response = login_client(owner).post(
        reverse("web:member_edit", args=[tenant.slug, member.pk]), _edit_data(member, licence="STANDARD")
    )
    assert response.status_code == 302
    assert membership_of(tenant, owner).licence == "STANDARD"


def test_ui_offers_no_own_approver(tenant, owner, employee):
    member = membership_of(tenant, employee)
    url = reverse("web:member_edit", args=[tenant.slug, member.pk])
    client = login_client(owner)
    assert member not in client.get(url).context["form"].fields["approver"].queryset
    before = db_state(tenant)
    assert client.post(url, _edit_data(member, approver=member.pk)).status_code == 422
    assert db_state(tenant) == before


def test_ui_invite_of_an_existing_member_shows_the_conflict(tenant, owner, employee):
    before = db_state(tenant)
    response = login_client(owner).post(
        reverse("web:member_invite", args=[tenant.slug]),
        {
            "email": employee.email,
            "name": "Dubbel",
            "licence": "LIGHT",
            "salary_form": "monthly",
            "work_day_minutes": "8",
        },
    )
    assert response.status_code == 422
    assert sv("A user with that e-mail already exists in the company.") in response.content.decode()
    assert db_state(tenant) == before


def test_ui_partner_grant_with_invalid_personnummer_shows_a_field_error(tenant, owner):
    before = db_state(tenant)
    response = login_client(owner).post(
        reverse("web:partner_grants", args=[tenant.slug]), {"personnummer": "19900101-0018", "level": "FULL"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["personnummer"] == [sv("Invalid personnummer.")]
    assert db_state(tenant) == before


def test_ui_partner_grant_of_unknown_person_shows_an_error(tenant, owner):
    response = login_client(owner).post(
        reverse("web:partner_grants", args=[tenant.slug]), {"personnummer": "19900101-0017", "level": "FULL"}
    )
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()


def test_audit_page_shows_the_partner_firm(tenant, partner_full, partner_firm):
    with tenant_scope(tenant.pk):
        record(actor=resolve(partner_full, tenant), action="membership.update", label="Erik")
    content = login_client(partner_full).get(reverse("web:audit", args=[tenant.slug])).content.decode()
    assert "membership.update" in content and partner_firm.name in content


def test_audit_page_reads_in_words_and_filters_by_group(tenant, owner):
    # given a project created and a time entry changed
    with tenant_scope(tenant.pk):
        owner_actor = resolve(owner, tenant)
        record(
            actor=owner_actor,
            action="project.create",
            label="1001 Villa",
            data={"name": "Villa", "end_date": None},
        )
        record(
            actor=owner_actor,
            action="time.entry_update",
            label="Erik 2026-11-16",
            data={"before": {"minutes": 480}, "after": {"minutes": 450, "date": "2026-11-16"}},
        )
    client = login_client(owner)
    url = reverse("web:audit", args=[tenant.slug])
    # when the owner opens the log, the actions and their data read in Swedish words
    content = client.get(url).content.decode()
    assert "Projekt skapat" in content and "Tidrad ändrad" in content
    assert "8:00 → 7:30" in content and "end_date" not in content and "{&#x27;" not in content
    # and the filter narrows it to one group
    content = client.get(url, {"group": "projects"}).content.decode()
    assert "Projekt skapat" in content and "Tidrad ändrad" not in content
    # an unknown group shows everything rather than failing
    assert client.get(url, {"group": "nonsense"}).status_code == 200


def test_audit_page_never_shows_another_tenant(tenant, owner, other_tenant):
    with tenant_scope(other_tenant.pk):
        record(actor=None, action="secret.other", tenant_id=other_tenant.pk)
    content = login_client(owner).get(reverse("web:audit", args=[tenant.slug])).content.decode()
    assert "secret.other" not in content


# --- (c) constant query count -------------------------------------------------------------------------


def _add_members(tenant, n, approver):
    for _ in range(n):
        MembershipFactory(tenant=tenant, approver=approver)


def _assert_constant(name, few, many):
    print(f"{name} queries: 2 rows={few}, 30 rows={many}")
    assert few == many, f"{name}: {few} queries with 2 rows, {many} with 30"


def test_members_and_invite_and_edit_pages_query_count(tenant, owner):
    # given 2 members (owner + one with an approver), then 30
    approver = membership_of(tenant, owner)
    _add_members(tenant, 1, approver)
    client = login_client(owner)
    pages = {
        "web:members": reverse("web:members", args=[tenant.slug]),
        "web:member_invite": reverse("web:member_invite", args=[tenant.slug]),
        "web:member_edit": reverse("web:member_edit", args=[tenant.slug, approver.pk]),
    }
    few = {name: count_queries(lambda url=url: client.get(url))[0] for name, url in pages.items()}
    _add_members(tenant, 28, approver)
    for name, url in pages.items():
        many, response = count_queries(lambda url=url: client.get(url))
        assert response.status_code == 200
        _assert_constant(name, few[name], many)
    assert len(client.get(pages["web:members"]).context["members"]) == 30


def test_partner_grants_page_query_count(tenant, owner, partner_firm):
    def add(n):
        for i in range(n):
            grant = PartnerGrantFactory(
                tenant=tenant, partner_tenant=partner_firm, level="FULL", created_by=owner
            )
            if i % 2:
                with tenant_scope(tenant.pk):
                    PartnerGrant.objects.filter(pk=grant.pk).update(revoked_by=owner)

    client = login_client(owner)
    url = reverse("web:partner_grants", args=[tenant.slug])
    add(2)
    few, _ = count_queries(lambda: client.get(url))
    add(28)
    many, response = count_queries(lambda: client.get(url))
    assert len(response.context["grants"]) == 30
    _assert_constant("web:partner_grants", few, many)


def test_audit_page_query_count(tenant, owner, partner_full):
    def add(n):
        with tenant_scope(tenant.pk):
            for i in range(n):
                record(actor=resolve(partner_full if i % 2 else owner, tenant), action=f"x.{i}")

    client = login_client(owner)
    url = reverse("web:audit", args=[tenant.slug])
    with tenant_scope(tenant.pk):
        add(2 - AuditEvent.objects.count())
    few, _ = count_queries(lambda: client.get(url))
    add(28)
    many, response = count_queries(lambda: client.get(url))
    assert len(response.context["page"]) == 30
    _assert_constant("web:audit", few, many)


def test_home_and_dashboard_query_count(db):
    user = UserFactory()
    client = login_client(user)

    def add(n):
        for _ in range(n):
            MembershipFactory(tenant=TenantFactory(), user=user, licence=Licence.TOTAL)

    add(2)
    first = _first_slug(user)
    few_home, _ = count_queries(lambda: client.get(reverse("web:home")))
    few_dash, _ = count_queries(lambda: client.get(reverse("web:dashboard", args=[first])))
    add(28)
    many_home, response = count_queries(lambda: client.get(reverse("web:home")))
    assert len(response.context["choices"]) == 30
    many_dash, response = count_queries(lambda: client.get(reverse("web:dashboard", args=[first])))
    assert response.status_code == 200
    _assert_constant("web:home", few_home, many_home)
    _assert_constant("web:dashboard (30 companies in the switcher)", few_dash, many_dash)


def _first_slug(user):
    from verksam.tenancy.selectors import tenants_for_user

    return tenants_for_user(user)[0].tenant.slug

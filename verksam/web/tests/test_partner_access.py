"""Issue 7 items 1–3 in the web: a FULL partner cannot give TOTAL, change a TOTAL user or add its
own firm; a LIMITED partner reads the employees' contact and salary data, read-only; an accounting
firm confirms its staff's personnummer, and only confirmed people can be granted access."""

import pytest
from django.urls import reverse

from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory, make_personnummer
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import db_state, membership_of, sv


def _invite(client, tenant, **changes):
    data = {
        "email": "ny@example.se",
        "name": "Ny",
        "licence": "LIGHT",
        "salary_form": "monthly",
        "work_day_minutes": "8",
    } | changes
    return client.post(reverse("web:member_invite", args=[tenant.slug]), data)


# --- item 1 ----------------------------------------------------------------------------------------


def test_full_partner_is_not_offered_total_and_a_forged_total_is_refused(tenant, owner, partner_full):
    client = login_client(partner_full)
    page = client.get(reverse("web:member_invite", args=[tenant.slug]))
    assert [c[0] for c in page.context["form"].fields["licence"].choices] == ["LIGHT", "BASIC", "STANDARD"]
    before = db_state(tenant)
    response = _invite(client, tenant, licence="TOTAL")
    assert response.status_code == 422 and "licence" in response.context["form"].errors
    assert db_state(tenant) == before


def test_full_partner_inviting_itself_gets_a_swedish_form_error(tenant, owner, partner_full):
    before = db_state(tenant)
    response = _invite(login_client(partner_full), tenant, email=partner_full.email)
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        sv(
            "An accounting firm cannot add itself or its own staff as users of the company. "
            "The company's administrator gives accounting-firm people access under Accounting firms."
        )
    ]
    assert db_state(tenant) == before


def test_full_partner_sees_a_total_user_read_only_and_cannot_deactivate_them(tenant, owner, partner_full):
    member = membership_of(tenant, owner)
    url = reverse("web:member_edit", args=[tenant.slug, member.pk])
    client = login_client(partner_full)
    page = client.get(url)
    assert page.status_code == 200 and page.context["read_only"]
    assert all(field.disabled for field in page.context["form"].fields.values())
    assert 'data-testid="total-read-only"' in page.content.decode()
    before = db_state(tenant)
    response = client.post(url, {"licence": "LIGHT", "salary_form": "monthly", "work_day_minutes": "8"})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        sv("Only the company's own administrators can change a user with the TOTAL licence.")
    ]
    assert db_state(tenant) == before


def test_owner_still_edits_total_users(tenant, owner, attestant):
    member = membership_of(tenant, attestant)
    page = login_client(owner).get(reverse("web:member_edit", args=[tenant.slug, member.pk]))
    assert not page.context["read_only"]
    assert "TOTAL" in [c[0] for c in page.context["form"].fields["licence"].choices]


# --- item 2 ----------------------------------------------------------------------------------------


def test_limited_partner_reads_contact_and_salary_data_without_edit_controls(
    tenant, owner, employee, partner_limited
):
    employee.phone = "070-123 45 67"
    employee.save()
    client = login_client(partner_limited)
    response = client.get(reverse("web:members", args=[tenant.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "070-123 45 67" in html and employee.email in html
    assert reverse("web:member_invite", args=[tenant.slug]) not in html
    assert reverse("web:member_edit", args=[tenant.slug, membership_of(tenant, employee).pk]) not in html
    # and the navigation offers the page
    assert (
        reverse("web:members", args=[tenant.slug])
        in client.get(reverse("web:dashboard", args=[tenant.slug])).content.decode()
    )


# --- item 3 ----------------------------------------------------------------------------------------


@pytest.fixture
def firm_owner(partner_firm):
    return MembershipFactory(
        tenant=partner_firm, user=UserFactory(email="chef@byra.se"), licence=Licence.TOTAL
    ).user


@pytest.fixture
def staff(partner_firm):
    person = UserFactory(email="ny@byra.se", name="Nils Byrå", personnummer=make_personnummer(970))
    return MembershipFactory(tenant=partner_firm, user=person, licence=Licence.STANDARD)


def _confirm_url(tenant, member_id):
    return reverse("web:member_personnummer_confirm", args=[tenant.slug, member_id])


def test_firm_owner_confirms_a_staff_members_personnummer(partner_firm, firm_owner, staff):
    client = login_client(firm_owner)
    listing = client.get(reverse("web:members", args=[partner_firm.slug])).content.decode()
    assert _confirm_url(partner_firm, staff.pk) in listing
    assert staff.user.personnummer not in listing  # masked
    response = client.post(_confirm_url(partner_firm, staff.pk), {"personnummer": staff.user.personnummer})
    assert response.status_code == 302
    staff.user.refresh_from_db()
    assert staff.user.personnummer_verified and staff.user.personnummer_verified_by == firm_owner
    with tenant_scope(partner_firm.pk):
        assert AuditEvent.objects.filter(action="user.personnummer_verify").count() == 1


def test_confirming_another_number_shows_a_field_error(partner_firm, firm_owner, staff):
    before = db_state(partner_firm)
    response = login_client(firm_owner).post(
        _confirm_url(partner_firm, staff.pk), {"personnummer": make_personnummer(971)}
    )
    assert response.status_code == 422 and "personnummer" in response.context["form"].errors
    assert db_state(partner_firm) == before


def test_confirm_page_matrix(tenant, owner, employee, partner_full, partner_firm, staff, stranger):
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(), licence=Licence.STANDARD).user
    assert login_client(colleague).get(_confirm_url(partner_firm, staff.pk)).status_code == 403
    assert login_client(stranger).get(_confirm_url(partner_firm, staff.pk)).status_code == 404
    member = membership_of(tenant, employee)
    assert login_client(owner).get(_confirm_url(tenant, member.pk)).status_code == 404  # not a firm
    assert login_client(partner_full).get(_confirm_url(tenant, member.pk)).status_code == 403
    assert (
        "Bekräfta" not in login_client(owner).get(reverse("web:members", args=[tenant.slug])).content.decode()
    )


def test_confirm_page_of_another_tenants_member_is_404(partner_firm, firm_owner, tenant, employee):
    foreign = membership_of(tenant, employee)
    assert login_client(firm_owner).get(_confirm_url(partner_firm, foreign.pk)).status_code == 404


def test_grant_form_refuses_an_unconfirmed_person_in_swedish(tenant, owner, staff):
    before = db_state(tenant)
    response = login_client(owner).post(
        reverse("web:partner_grants", args=[tenant.slug]),
        {"personnummer": staff.user.personnummer, "level": "FULL"},
    )
    assert response.status_code == 422
    (message,) = response.context["form"].errors["personnummer"]
    assert message.startswith("Redovisningsbyrån har ännu inte bekräftat")
    assert db_state(tenant) == before


def test_changing_the_own_personnummer_on_the_profile_clears_the_confirmation(partner_full, partner_firm):
    response = login_client(partner_full).post(
        reverse("accounts:profile"),
        {"action": "profile", "name": partner_full.name, "personnummer": make_personnummer(972)},
    )
    assert response.status_code == 302
    partner_full.refresh_from_db()
    assert not partner_full.personnummer_verified
    with tenant_scope(partner_firm.pk):
        assert AuditEvent.objects.filter(action="user.personnummer_change", user=partner_full).exists()


def test_taking_someone_elses_personnummer_on_the_profile_is_refused(partner_full, employee):
    response = login_client(employee).post(
        reverse("accounts:profile"),
        {"action": "profile", "name": employee.name, "personnummer": partner_full.personnummer},
    )
    assert response.status_code == 422 and "personnummer" in response.context["profile_form"].errors
    employee.refresh_from_db()
    assert employee.personnummer == ""

"""Every rule of the projects services and selectors."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.projects import selectors, services
from verksam.projects.models import PricingType, Project, ProjectKind, ProjectMember, ProjectStatus
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.helpers import count_queries

from .factories import ProjectFactory, ProjectMemberFactory
from .helpers import actor_for, membership_of, project_in, projects_state


def _create(user, tenant, **kwargs) -> Project:
    with tenant_scope(tenant.pk):
        return services.project_create(actor=actor_for(user, tenant), **{"name": "Nytt", **kwargs})


def _update(user, tenant, project, **changes) -> Project:
    with tenant_scope(tenant.pk):
        return services.project_update(actor=actor_for(user, tenant), project=project, **changes)


def _audit(tenant, action) -> list[AuditEvent]:
    with tenant_scope(tenant.pk):
        return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- numbering ----------------------------------------------------------------------------------------


def test_blank_number_takes_the_next_free_integer_of_the_tenant(tenant, owner, other_tenant):
    # given projects numbered 7, "A-99" (not an integer) and, in another tenant, 500
    ProjectFactory(tenant=tenant, number="7")
    ProjectFactory(tenant=tenant, number="A-99")
    ProjectFactory(tenant=other_tenant, number="500")
    # when two projects are created without a number
    first = _create(owner, tenant, number="")
    second = _create(owner, tenant, number="  ")
    # then they get 8 and 9: the tenant's own integers only
    assert (first.number, second.number) == ("8", "9")


def test_the_first_project_gets_number_1(tenant, owner):
    assert _create(owner, tenant).number == "1"


def test_a_given_number_is_kept_and_must_be_unique_in_the_tenant(tenant, owner, other_tenant):
    ProjectFactory(tenant=other_tenant, number="2001")
    project = _create(owner, tenant, number=" 2001 ")
    assert project.number == "2001"  # the same number in another tenant is fine
    before = projects_state(tenant)
    with pytest.raises(Conflict) as exc:
        _create(owner, tenant, number="2001")
    assert exc.value.code == "duplicate_number"
    assert exc.value.extra["field"] == "number"
    assert projects_state(tenant) == before


def test_changing_to_a_taken_number_is_refused(tenant, owner):
    ProjectFactory(tenant=tenant, number="1")
    project = ProjectFactory(tenant=tenant, number="2")
    with pytest.raises(Conflict):
        _update(owner, tenant, project, number="1")


def test_blanking_the_number_on_update_takes_the_next_free_one(tenant, owner):
    ProjectFactory(tenant=tenant, number="41")
    project = ProjectFactory(tenant=tenant, number="X")
    assert _update(owner, tenant, project, number="").number == "42"


def test_list_orders_numbers_as_numbers(tenant, owner):
    for number in ["10", "9", "100", "A1"]:
        ProjectFactory(tenant=tenant, number=number)
    with tenant_scope(tenant.pk):
        numbers = [p.number for p in selectors.project_list(actor=actor_for(owner, tenant))]
    assert numbers == ["9", "10", "A1", "100"]


# --- permissions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "partner_limited"])
def test_users_without_projects_create_cannot_create(request, tenant, everyone, role):
    before = projects_state(tenant)
    with pytest.raises(Forbidden):
        _create(request.getfixturevalue(role), tenant)
    assert projects_state(tenant) == before


@pytest.mark.parametrize("role", ["basic", "attestant", "owner", "partner_full"])
def test_basic_and_up_create_projects(request, tenant, everyone, role):
    project = _create(request.getfixturevalue(role), tenant, name="Badrum")
    assert project.status == ProjectStatus.ACTIVE
    assert project.created_by == request.getfixturevalue(role)
    assert _audit(tenant, "project.create")[-1].target_id == str(project.pk)


@pytest.mark.parametrize("field", ["hourly_rate_ore", "fixed_price_ore"])
def test_basic_cannot_set_prices_on_create(tenant, basic, field):
    before = projects_state(tenant)
    with pytest.raises(Forbidden) as exc:
        _create(basic, tenant, **{field: 100_00})
    assert exc.value.code == "prices_forbidden"
    assert projects_state(tenant) == before


def test_basic_cannot_change_prices_even_on_own_project(tenant, basic):
    project = _create(basic, tenant)
    before = projects_state(tenant)
    for value in (100_00, None):
        with pytest.raises(Forbidden):
            _update(basic, tenant, project, hourly_rate_ore=value)
    assert projects_state(tenant) == before


def test_basic_edits_own_projects_and_projects_they_lead(tenant, owner, basic):
    # given one project BASIC created, one they are project manager of, and one that is neither
    own = _create(basic, tenant, name="Eget")
    led = _create(owner, tenant, name="Lett", manager=membership_of(tenant, basic))
    other = _create(owner, tenant, name="Annat")
    # then BASIC may edit the first two, not the third
    assert _update(basic, tenant, own, name="Eget 2").name == "Eget 2"
    assert _update(basic, tenant, led, customer_name="Kund").customer_name == "Kund"
    before = projects_state(tenant)
    with pytest.raises(Forbidden):
        _update(basic, tenant, other, name="Kapat")
    assert projects_state(tenant) == before


def test_basic_edit_keeps_the_prices_set_by_someone_else(tenant, basic, project):
    # given a project BASIC leads, with prices a STANDARD user set
    with tenant_scope(tenant.pk):
        Project.objects.filter(pk=project.pk).update(manager=membership_of(tenant, basic))
        project.refresh_from_db()
    # when BASIC renames it
    _update(basic, tenant, project, name="Nytt namn")
    # then the prices are untouched
    project = project_in(tenant, project.pk)
    assert (project.hourly_rate_ore, project.fixed_price_ore) == (85_050, 12_345_600)


@pytest.mark.parametrize("role", ["attestant", "owner", "partner_full"])
def test_standard_and_up_edit_every_project_and_its_prices(request, tenant, everyone, project, role):
    updated = _update(request.getfixturevalue(role), tenant, project, hourly_rate_ore=90_000, name="Kök 2")
    assert (updated.hourly_rate_ore, updated.name) == (90_000, "Kök 2")
    event = _audit(tenant, "project.update")[-1]
    assert event.data == {
        "before": {"hourly_rate_ore": "85050", "name": "Kök Andersson"},
        "after": {"hourly_rate_ore": "90000", "name": "Kök 2"},
    }


def test_an_update_without_changes_writes_nothing(tenant, owner, project):
    before = projects_state(tenant)
    _update(owner, tenant, project, name=project.name)
    assert projects_state(tenant) == before


def test_unknown_fields_are_refused(tenant, owner, project):
    with pytest.raises(DomainError):
        _update(owner, tenant, project, status=ProjectStatus.COMPLETED)


# --- complete / reopen --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["attestant", "owner", "partner_full"])
def test_managers_complete_and_reopen(request, tenant, everyone, project, role):
    actor = actor_for(request.getfixturevalue(role), tenant)
    with tenant_scope(tenant.pk):
        assert services.project_complete(actor=actor, project=project).status == ProjectStatus.COMPLETED
        services.project_complete(actor=actor, project=project)  # twice changes nothing
        assert services.project_reopen(actor=actor, project=project).status == ProjectStatus.ACTIVE
    assert [e.action for e in _audit(tenant, "project.complete") + _audit(tenant, "project.reopen")] == [
        "project.complete",
        "project.reopen",
    ]


@pytest.mark.parametrize("role", ["employee", "basic", "partner_limited"])
def test_others_cannot_complete_even_their_own_project(request, tenant, everyone, role):
    user = request.getfixturevalue(role)
    project = ProjectFactory(tenant=tenant, created_by=user)
    before = projects_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden):
        services.project_complete(actor=actor_for(user, tenant), project=project)
    assert projects_state(tenant) == before


def test_a_completed_project_is_not_reportable(tenant, owner, basic, project):
    with tenant_scope(tenant.pk):
        services.project_complete(actor=actor_for(owner, tenant), project=project)
        assert not selectors.project_can_report(actor=actor_for(basic, tenant), project=project)


# --- dates, kinds, pricing ----------------------------------------------------------------------------


def test_end_date_before_start_date_is_refused(tenant, owner, project):
    before = projects_state(tenant)
    with pytest.raises(DomainError) as exc:
        _create(owner, tenant, start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 1))
    assert exc.value.code == "end_before_start"
    with pytest.raises(DomainError):
        _update(owner, tenant, project, start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 1))
    assert projects_state(tenant) == before


def test_end_date_on_the_start_date_is_fine(tenant, owner):
    day = dt.date(2026, 3, 29)  # the DST Sunday
    assert _create(owner, tenant, start_date=day, end_date=day).end_date == day


def test_internal_project_defaults_to_not_invoiced(tenant, basic):
    project = _create(basic, tenant, kind=ProjectKind.INTERNAL, name="Administration")
    assert project.pricing_type == PricingType.NOT_INVOICED
    assert project.is_internal


def test_internal_project_cannot_be_invoiced_or_priced(tenant, owner):
    before = projects_state(tenant)
    with pytest.raises(DomainError) as exc:
        _create(owner, tenant, kind=ProjectKind.INTERNAL, pricing_type=PricingType.FIXED_PRICE)
    assert exc.value.code == "internal_invoiced"
    with pytest.raises(DomainError) as exc:
        _create(owner, tenant, kind=ProjectKind.INTERNAL, hourly_rate_ore=1)
    assert exc.value.code == "internal_prices"
    assert projects_state(tenant) == before


def test_turning_a_project_internal_makes_it_not_invoiced(tenant, owner):
    project = _create(owner, tenant, pricing_type=PricingType.FIXED_PRICE)
    project = _update(owner, tenant, project, kind=ProjectKind.INTERNAL)
    assert project.pricing_type == PricingType.NOT_INVOICED


def test_negative_prices_are_refused(tenant, owner):
    with pytest.raises(DomainError):
        _create(owner, tenant, hourly_rate_ore=-1)


def test_unknown_kind_is_refused_by_the_model(tenant, owner):
    with pytest.raises(ValidationError):
        _create(owner, tenant, kind="galen")


# --- project manager and members ----------------------------------------------------------------------


def test_manager_of_another_tenant_is_refused(tenant, owner, stranger, other_tenant):
    foreign = membership_of(other_tenant, stranger)
    before = projects_state(tenant, other_tenant)
    with pytest.raises((DomainError, ValidationError)):
        _create(owner, tenant, manager=foreign)
    assert projects_state(tenant, other_tenant) == before


def test_inactive_manager_is_refused(tenant, owner):
    gone = MembershipFactory(tenant=tenant, licence=Licence.BASIC, is_active=False)
    with pytest.raises(DomainError) as exc:
        _create(owner, tenant, manager=gone)
    assert exc.value.extra["field"] == "manager"


def test_member_add_and_remove_are_audited(tenant, owner, employee, project):
    actor, member = actor_for(owner, tenant), membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        services.project_member_add(actor=actor, project=project, membership=member)
        assert selectors.project_can_report(actor=actor_for(employee, tenant), project=project)
        with pytest.raises(Conflict):
            services.project_member_add(actor=actor, project=project, membership=member)
        services.project_member_remove(actor=actor, project=project, membership=member)
        assert not selectors.project_can_report(actor=actor_for(employee, tenant), project=project)
        with pytest.raises(NotFound):
            services.project_member_remove(actor=actor, project=project, membership=member)
    assert len(_audit(tenant, "project.member_add")) == len(_audit(tenant, "project.member_remove")) == 1


def test_member_of_another_tenant_cannot_be_assigned(tenant, owner, project, other_tenant, stranger):
    foreign = membership_of(other_tenant, stranger)
    before = projects_state(tenant, other_tenant)
    with tenant_scope(tenant.pk), pytest.raises(ValidationError):
        services.project_member_add(actor=actor_for(owner, tenant), project=project, membership=foreign)
    assert projects_state(tenant, other_tenant) == before


def test_inactive_user_cannot_be_assigned(tenant, owner, project):
    gone = MembershipFactory(tenant=tenant, is_active=False)
    with tenant_scope(tenant.pk), pytest.raises(DomainError):
        services.project_member_add(actor=actor_for(owner, tenant), project=project, membership=gone)


def test_basic_staffs_own_project_but_not_others(tenant, owner, basic, employee, project):
    own = _create(basic, tenant)
    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        services.project_member_add(actor=actor_for(basic, tenant), project=own, membership=member)
        with pytest.raises(Forbidden):
            services.project_member_add(actor=actor_for(basic, tenant), project=project, membership=member)
    with tenant_scope(tenant.pk):
        assert list(ProjectMember.objects.values_list("project_id", flat=True)) == [own.pk]


# --- selectors ----------------------------------------------------------------------------------------


def test_project_list_search_and_filters(tenant, owner):
    ProjectFactory(tenant=tenant, number="1", name="Kök Svensson", customer_name="Sven")
    ProjectFactory(tenant=tenant, number="2", name="Tak", site_city="Västerås", status="completed")
    ProjectFactory(tenant=tenant, number="3", name="Admin", kind=ProjectKind.INTERNAL)
    actor = actor_for(owner, tenant)

    def numbers(**kw):
        with tenant_scope(tenant.pk):
            return [p.number for p in selectors.project_list(actor=actor, **kw)]

    assert numbers(search="sven") == ["1"]
    assert numbers(search="västerås") == ["2"]
    assert numbers(status="active") == ["1", "3"]
    assert numbers(kind="internal") == ["3"]
    assert numbers(search="", status="completed", kind="project") == ["2"]


def test_light_user_sees_only_assigned_and_internal_projects(tenant, employee, owner):
    assigned = ProjectFactory(tenant=tenant, number="1")
    ProjectFactory(tenant=tenant, number="2")
    ProjectFactory(tenant=tenant, number="3", kind=ProjectKind.INTERNAL)
    ProjectMemberFactory(project=assigned, membership=membership_of(tenant, employee))
    with tenant_scope(tenant.pk):
        seen = [p.number for p in selectors.project_list(actor=actor_for(employee, tenant))]
        everything = selectors.project_list(actor=actor_for(owner, tenant)).count()
    assert (seen, everything) == (["1", "3"], 3)


def test_partner_limited_sees_no_projects(tenant, partner_limited, project):
    with tenant_scope(tenant.pk):
        assert not selectors.project_list(actor=actor_for(partner_limited, tenant)).exists()


def test_project_list_uses_a_constant_number_of_queries(tenant, owner):
    def add(n):
        for _i in range(n):
            user = MembershipFactory(tenant=tenant, licence=Licence.BASIC)
            ProjectFactory(tenant=tenant, manager=user)

    actor = actor_for(owner, tenant)

    def run():
        with tenant_scope(tenant.pk):
            return [(p.number, p.manager.user.name) for p in selectors.project_list(actor=actor)]

    add(2)
    few, _ = count_queries(run)
    add(28)
    many, rows = count_queries(run)
    assert len(rows) == 30
    assert few == many

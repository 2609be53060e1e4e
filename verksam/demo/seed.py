"""The demo companies, people and accounting-firm grants, created through the services.

Idempotent: a company is recognised by its slug, a person by their e-mail and a grant by the active
grant of that person on that company. Whatever exists is left alone (a demo user may have changed
it); only what is missing is created. Everything runs in one transaction, so a failed run leaves
nothing behind.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from verksam.billing.services import tenant_signup
from verksam.tenancy import services as tenancy_services
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.models import (
    Licence,
    Membership,
    PartnerGrant,
    PartnerLevel,
    SalaryForm,
    Tenant,
    Variant,
)
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.selectors import tenant_get_by_slug

from .portal_seed import seed_portal
from .time_seed import seed_time

User = get_user_model()

DEMO_PASSWORD = "demo1234"

MONTHLY = SalaryForm.MONTHLY
HOURLY = SalaryForm.HOURLY


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    licence: str
    role: str  # shown in the login table
    employment_number: str = ""
    salary_form: str = MONTHLY
    approver: str = ""  # e-mail of the approver (attestansvarig) in the same company
    personnummer: str = ""  # 12 digits, Luhn-valid, fictitious


@dataclass(frozen=True)
class Company:
    slug: str
    name: str
    orgnr: str  # Luhn-valid, third digit >= 2 (DOMAIN.md "Identifiers")
    variant: str
    people: tuple[Person, ...]  # the first one is the owner who signs the company up
    craftsman_mode: bool = False

    @property
    def owner(self) -> Person:
        return self.people[0]


@dataclass(frozen=True)
class Grant:
    customer_slug: str
    email: str  # a TOTAL member of the partner company
    level: str


BYGG = "byggmastarna"
EL = "elfirman"
BYRA = "revisionsbyran"

COMPANIES: tuple[Company, ...] = (
    Company(
        slug=BYGG,
        name="Byggmästarna i Norr AB",
        orgnr="5566778899",
        variant=Variant.PRO,
        craftsman_mode=True,
        people=(
            Person(
                "agnes@byggmastarna.test",
                "Agnes Lindqvist",
                Licence.TOTAL,
                "Owner (ägare), administrator",
                employment_number="1",
                approver="bertil@byggmastarna.test",
                personnummer="198004121235",
            ),
            Person(
                "bertil@byggmastarna.test",
                "Bertil Holm",
                Licence.TOTAL,
                "Office manager (kontorschef), administrator",
                employment_number="2",
                approver="agnes@byggmastarna.test",
                personnummer="197803013452",
            ),
            Person(
                "cecilia@byggmastarna.test",
                "Cecilia Berg",
                Licence.STANDARD,
                "Site manager (arbetsledare), attestansvarig",
                employment_number="3",
                approver="agnes@byggmastarna.test",
                personnummer="198509232347",
            ),
            Person(
                "david@byggmastarna.test",
                "David Nyström",
                Licence.STANDARD,
                "Site manager (arbetsledare), attestansvarig",
                employment_number="4",
                approver="agnes@byggmastarna.test",
            ),
            Person(
                "elin@byggmastarna.test",
                "Elin Sundberg",
                Licence.BASIC,
                "Carpenter (snickare), hourly wage",
                employment_number="11",
                salary_form=HOURLY,
                approver="cecilia@byggmastarna.test",
                personnummer="199006154562",
            ),
            Person(
                "fredrik@byggmastarna.test",
                "Fredrik Åberg",
                Licence.BASIC,
                "Electrician (elektriker), hourly wage, overtime to the time bank (komp)",
                employment_number="12",
                salary_form=HOURLY,
                approver="david@byggmastarna.test",
            ),
            Person(
                "gustav@byggmastarna.test",
                "Gustav Lund",
                Licence.LIGHT,
                "Carpenter (snickare), hourly wage",
                employment_number="13",
                salary_form=HOURLY,
                approver="cecilia@byggmastarna.test",
                personnummer="198802145675",
            ),
            Person(
                "hanna@byggmastarna.test",
                "Hanna Forsberg",
                Licence.LIGHT,
                "Apprentice (lärling), hourly wage, part time 75 %",
                employment_number="14",
                salary_form=HOURLY,
                approver="david@byggmastarna.test",
            ),
        ),
    ),
    Company(
        slug=EL,
        name="Elfirman Syd AB",
        orgnr="5591234561",
        variant=Variant.BUSINESS,
        people=(
            Person(
                "ivar@elfirman.test",
                "Ivar Ek",
                Licence.TOTAL,
                "Owner (ägare), administrator",
                employment_number="1",
                approver="jenny@elfirman.test",
                personnummer="197511307899",
            ),
            Person(
                "jenny@elfirman.test",
                "Jenny Strand",
                Licence.STANDARD,
                "Project manager (projektledare), attestansvarig",
                employment_number="2",
                approver="ivar@elfirman.test",
            ),
            Person(
                "kalle@elfirman.test",
                "Kalle Dahl",
                Licence.LIGHT,
                "Electrician (elektriker), hourly wage, overtime to the time bank (komp)",
                employment_number="3",
                salary_form=HOURLY,
                approver="jenny@elfirman.test",
            ),
        ),
    ),
    Company(
        slug=BYRA,
        name="Revisionsbyrån Ekonomi & Lön AB",
        orgnr="5560123456",
        variant=Variant.PARTNER,
        people=(
            Person(
                "lena@revisionsbyran.test",
                "Lena Vik",
                Licence.TOTAL,
                "Accountant (redovisningskonsult), owner of the firm",
                personnummer="198305198908",
            ),
            Person(
                "martin@revisionsbyran.test",
                "Martin Sjö",
                Licence.TOTAL,
                "Payroll accountant (lönekonsult)",
                personnummer="199102279016",
            ),
        ),
    ),
)

GRANTS: tuple[Grant, ...] = (
    Grant(BYGG, "lena@revisionsbyran.test", PartnerLevel.FULL),
    Grant(BYGG, "martin@revisionsbyran.test", PartnerLevel.LIMITED),
    Grant(EL, "lena@revisionsbyran.test", PartnerLevel.FULL),
)


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    company: str
    licence: str
    role: str
    partner_access: tuple[str, ...] = field(default=())


def demo_slugs() -> tuple[str, ...]:
    return tuple(c.slug for c in COMPANIES)


def demo_exists() -> bool:
    """True when every demo company exists (recognised by its slug)."""
    return all(tenant_get_by_slug(slug) is not None for slug in demo_slugs())


def logins() -> list[Login]:
    """The demo logins, in the order of COMPANIES, with each accountant's grants spelt out."""
    names = {c.slug: c.name for c in COMPANIES}
    rows = []
    for company in COMPANIES:
        for person in company.people:
            access = tuple(f"{g.level} → {names[g.customer_slug]}" for g in GRANTS if g.email == person.email)
            rows.append(
                Login(
                    email=person.email,
                    password=DEMO_PASSWORD,
                    company=company.name,
                    licence=person.licence,
                    role=person.role,
                    partner_access=access,
                )
            )
    return rows


def _owner_actor(tenant, company: Company) -> Actor:
    owner = User.objects.get(email=company.owner.email)
    actor = resolve(owner, tenant)
    if actor is None or not actor.is_total:
        raise ImproperlyConfigured(
            f"{company.owner.email} is no longer an active TOTAL user of {company.slug}; "
            "reset the database to reseed the demo."
        )
    return actor


def _finish_new_user(user, person: Person) -> None:
    # A real person chooses their password through the e-mailed link; demo users log in at once.
    if person.personnummer:
        tenancy_services.user_profile_update(user=user, name=person.name, personnummer=person.personnummer)


def _ensure_company(company: Company) -> tuple[Tenant, bool]:
    tenant = tenant_get_by_slug(company.slug)
    if tenant is not None:
        return tenant, False
    owner = User.objects.filter(email=company.owner.email).first()
    if owner is None:
        owner = User.objects.create_user(
            company.owner.email,
            DEMO_PASSWORD,
            name=company.owner.name,
            personnummer=company.owner.personnummer,
        )
    tenant = tenant_signup(
        name=company.name,
        orgnr=company.orgnr,
        owner=owner,
        variant=company.variant,
        craftsman_mode=company.craftsman_mode,
        slug=company.slug,
    )
    return tenant, True


def _ensure_people(tenant, company: Company) -> int:
    """Invite the missing people, then fill in employment data and approvers that are still empty."""
    created = 0
    with tenant_scope(tenant.pk):
        actor = _owner_actor(tenant, company)
        for person in company.people[1:]:
            if Membership.objects.filter(user__email=person.email).exists():
                continue
            # Each demo person has an account and says yes to the invitation (issue 7: joining a
            # company is the person's own choice; an invitation alone makes nobody a member).
            user = User.objects.filter(email=person.email).first()
            if user is None:
                user = User.objects.create_user(person.email, DEMO_PASSWORD, name=person.name)
                _finish_new_user(user, person)
            invitation = tenancy_services.membership_invite(
                actor=actor,
                email=person.email,
                name=person.name,
                licence=person.licence,
                employment_number=person.employment_number,
                salary_form=person.salary_form,
            )
            tenancy_services.invitation_accept(invitation=invitation, user=user)
            created += 1
        members = {m.user.email: m for m in Membership.objects.select_related("user")}
        for person in company.people:
            member = members.get(person.email)
            if member is None:
                continue
            changes: dict = {}
            if person.employment_number and not member.employment_number:
                changes.update(employment_number=person.employment_number, salary_form=person.salary_form)
            if person.approver and member.approver_id is None and person.approver in members:
                changes["approver"] = members[person.approver]
            if changes:
                tenancy_services.membership_update(actor=actor, membership=member, **changes)
    return created


def _ensure_confirmed_personnummer(tenant, company: Company) -> None:
    """The firm's owner confirms its people's personnummer (until BankID login), so customers can
    add them as byråpartner by personnummer."""
    with tenant_scope(tenant.pk):
        actor = _owner_actor(tenant, company)
        for member in Membership.objects.select_related("user").filter(is_active=True):
            if member.user.personnummer and not member.user.personnummer_verified:
                tenancy_services.user_personnummer_verify(
                    actor=actor, membership=member, personnummer=member.user.personnummer
                )


def _ensure_grants() -> int:
    created = 0
    companies = {c.slug: c for c in COMPANIES}
    for grant in GRANTS:
        tenant = tenant_get_by_slug(grant.customer_slug)
        if tenant is None:  # created above in the same transaction
            raise ImproperlyConfigured(f"Demo company {grant.customer_slug} is missing.")
        person = User.objects.get(email=grant.email)
        with tenant_scope(tenant.pk):
            if PartnerGrant.objects.filter(user=person, revoked_at__isnull=True).exists():
                continue
            tenancy_services.partner_grant_create(
                actor=_owner_actor(tenant, companies[grant.customer_slug]),
                personnummer=person.personnummer,
                level=grant.level,
            )
        created += 1
    return created


@dataclass
class SeedResult:
    tenants_created: int = 0
    users_created: int = 0
    grants_created: int = 0
    entries_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.tenants_created or self.users_created or self.grants_created or self.entries_created)


@transaction.atomic
def seed_demo() -> SeedResult:
    """Create whatever part of the demo is missing; running it again changes nothing."""
    result = SeedResult()
    for company in COMPANIES:
        tenant, created = _ensure_company(company)
        result.tenants_created += created
        result.users_created += created  # the owner
        result.users_created += _ensure_people(tenant, company)
        if company.variant == Variant.PARTNER:
            _ensure_confirmed_personnummer(tenant, company)
    result.grants_created = _ensure_grants()
    for company in COMPANIES:
        if company.variant == Variant.PARTNER:
            continue
        tenant, _created = _ensure_company(company)
        with tenant_scope(tenant.pk):
            result.entries_created += seed_time(_owner_actor(tenant, company), company.slug)
    customer, firm = tenant_get_by_slug(BYGG), tenant_get_by_slug(BYRA)
    assert customer is not None and firm is not None
    seed_portal(
        customer=customer,
        firm=firm,
        accountant_email="lena@revisionsbyran.test",
        owner_email=_owner_email(BYGG),
    )
    return result


def _owner_email(slug: str) -> str:
    return next(c.owner.email for c in COMPANIES if c.slug == slug)

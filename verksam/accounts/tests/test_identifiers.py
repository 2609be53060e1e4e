"""Personnummer and organisationsnummer (DOMAIN.md "Identifiers"): stored normalised, invalid refused."""

import pytest
from django.core.exceptions import ValidationError

from verksam.audit.models import AuditEvent
from verksam.core.identifiers import mask_personnummer, normalize_orgnr, normalize_personnummer
from verksam.tenancy.models import Membership, Tenant
from verksam.tenancy.services import tenant_create
from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.helpers import in_scope


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("19900101-0017", "199001010017"),
        ("900101-0017", "199001010017"),
        ("199001010017", "199001010017"),
        (" 9001010017 ", "199001010017"),
        ("121212+1212", "191212121212"),  # '+': older than 100 years
        ("900161-0014", "199001610014"),  # samordningsnummer: day + 60
        ("19900161-0014", "199001610014"),
    ],
)
def test_personnummer_is_normalised_to_twelve_digits(raw, stored):
    # given a personnummer in any accepted form / when normalised / then 12 digits
    assert normalize_personnummer(raw) == stored


@pytest.mark.parametrize("raw", ["19900101-0018", "900101-0010", "199013010017", "abc", "", "12345"])
def test_invalid_personnummer_is_refused(raw):
    # given a wrong check digit, an impossible date or garbage / when normalised / then refused
    with pytest.raises(ValidationError) as exc:
        normalize_personnummer(raw)
    assert exc.value.code == "invalid_personnummer"


def test_personnummer_is_masked_for_display():
    assert mask_personnummer("199001010017") == "19900101-****"
    assert mask_personnummer("") == ""


def test_user_personnummer_is_stored_normalised(db):
    # given a user created with the short form / then the 12-digit form is stored
    user = UserFactory(personnummer="900161-0014")
    user.refresh_from_db()
    assert user.personnummer == "199001610014"


def test_user_with_invalid_personnummer_is_not_written(db):
    # given a wrong Luhn digit / when the user is created / then a field error and no row
    before = UserFactory._meta.model.objects.count()
    with pytest.raises(ValidationError) as exc:
        UserFactory(personnummer="19900101-0018")
    assert "personnummer" in exc.value.message_dict
    assert UserFactory._meta.model.objects.count() == before


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("556016-0680", "5560160680"), ("5560160680", "5560160680"), ("165560160680", "5560160680")],
)
def test_orgnr_is_normalised_to_ten_digits(raw, stored):
    assert normalize_orgnr(raw) == stored


@pytest.mark.parametrize("raw", ["556016-0681", "001234-5678", "123", ""])
def test_invalid_orgnr_is_refused(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_orgnr(raw)
    assert exc.value.code == "invalid_orgnr"


def test_tenant_create_with_invalid_orgnr_writes_nothing(db):
    # given a person and an organisationsnummer with a wrong check digit
    owner = UserFactory()
    tenants_before = Tenant.objects.count()
    # when the tenant is created
    with pytest.raises(ValidationError) as exc:
        tenant_create(name="Fel AB", orgnr="556016-0681", owner=owner)
    # then a clear error on orgnr, and no tenant, membership or audit row
    assert "orgnr" in exc.value.message_dict
    assert exc.value.message_dict["orgnr"]
    assert Tenant.objects.count() == tenants_before


def test_tenant_create_stores_orgnr_and_first_total_user(db):
    # given a person / when they create a tenant with a dashed orgnr
    owner = UserFactory()
    tenant = tenant_create(name="Rätt AB", orgnr="556016-0680", owner=owner)
    # then the orgnr is stored as 10 digits, the owner is TOTAL and the creation (with the company's
    # default time codes, installed with it: issue 7 item 13) is audited
    tenant.refresh_from_db()
    assert tenant.orgnr == "5560160680"
    assert tenant.orgnr_display == "556016-0680"
    membership = in_scope(tenant, lambda: Membership.objects.get(user=owner))
    assert membership.licence == "TOTAL"
    actions = in_scope(tenant, lambda: list(AuditEvent.objects.values_list("action", flat=True)))
    assert sorted(actions) == [
        "expenses.install_defaults",  # the expense types and allowance rates (issue 10)
        "schedules.install_defaults",
        "tenant.create",
        "timecodes.install_defaults",
    ]

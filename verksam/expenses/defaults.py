"""The expense types and rates a new company starts with (settings.TENANT_INITIALIZERS; migration
0002 for the companies that existed before). Idempotent: what a company has is kept."""

from django.db import transaction

from verksam.audit.services import record
from verksam.tenancy.scope import current_tenant_ids, has_scope, tenant_scope

from .models import AllowanceRate, ExpenseType
from .rates import DEFAULT_RATES

# name, BAS cost account (DOMAIN.md "BAS accounts"), PAXml code
DEFAULT_TYPES = [
    ("Drivmedel", "5611", "UTLÄGG"),
    ("Resor", "5800", "UTLÄGG"),
    ("Logi", "5831", "UTLÄGG"),
    ("Material", "5460", "UTLÄGG"),
    ("Representation, extern", "6071", "REPEXT"),
    ("Representation, intern", "6072", "REPINT"),
    ("Kontorsmaterial", "6110", "UTLÄGG"),
    ("Övrigt", "6990", "UTLÄGG"),
]
# Representation meals: participants required, VAT deductible on at most 300 kr a person (vat.py).
REPRESENTATION = {"Representation, extern", "Representation, intern"}


def _install(tenant_id: int) -> None:
    with transaction.atomic():
        have = set(ExpenseType.objects.values_list("name", flat=True))
        types = [
            ExpenseType(
                tenant_id=tenant_id, name=n, account=a, paxml_code=c, representation=n in REPRESENTATION
            )
            for n, a, c in DEFAULT_TYPES
            if n not in have
        ]
        ExpenseType.objects.bulk_create(types)
        dated = set(AllowanceRate.objects.values_list("kind", "valid_from"))
        rates = [
            AllowanceRate(tenant_id=tenant_id, kind=k, valid_from=d, tax_free_ore=o, paid_ore=o, source=s)
            for d, k, o, s in DEFAULT_RATES
            if (k, d) not in dated
        ]
        AllowanceRate.objects.bulk_create(rates)
        if types or rates:
            record(
                actor=None,
                tenant_id=tenant_id,
                action="expenses.install_defaults",
                data={"types": len(types), "rates": len(rates)},
            )


def expenses_install_defaults(*, tenant_id: int) -> None:
    """Give the company the default expense types and the dated allowance rates it lacks."""
    if has_scope() and current_tenant_ids() == (tenant_id,):
        _install(tenant_id)
    else:
        with tenant_scope(tenant_id):
            _install(tenant_id)

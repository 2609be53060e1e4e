"""Architecture rules of DESIGN.md, checked over the whole code base (rules 4, 6, 9)."""

import io
import tokenize
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from verksam.tenancy.models import ScopedManager, Tenant, TenantOwned

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "verksam"

# Files allowed to name `all_tenants` or `for_tenants` (rule 6: cross-tenant reads are explicit and
# greppable). Each entry says why; a new file must be added here on purpose, with its reason.
ALLOWED_CROSS_TENANT = {
    "verksam/tenancy/models.py": "defines the managers; clean() checks an FK's owner across tenants",
    "verksam/tenancy/access.py": "resolve(): the user's own memberships and grants, under user_scope",
    "verksam/tenancy/selectors.py": "tenants_for_user(): the user's own rows, under user_scope",
    "verksam/tenancy/services.py": (
        "partner_grant_create(): the person's firm membership, under user_scope; "
        "membership_invite(): whether the invited person is of the inviting partner's own firm"
    ),
    "verksam/tenancy/rls.py": "installs the row-level security policies",
    "verksam/web/members/views.py": "an empty `all_tenants.none()` placeholder, narrowed in __init__",
    "verksam/partners/selectors.py": "rule 6: the partner's list of customers (Mina samarbeten)",
}
ALLOWED_PARTS = {"tests", "migrations", "management"}
ALLOWED_NAMES = {"admin.py", "factories.py", "conftest.py"}


def _python_files():
    return sorted(p for p in SOURCE.rglob("*.py") if ".venv" not in p.parts)


def _names_used(path: Path) -> set[str]:
    """Identifiers in code, ignoring comments and strings (a comment may mention a rule)."""
    source = path.read_text(encoding="utf-8")
    return {
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.NAME
    }


def _is_exempt(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(ALLOWED_PARTS & set(parts)) or parts[-1] in ALLOWED_NAMES


def test_cross_tenant_managers_are_used_only_in_the_allow_list():
    # given every Python file under verksam/ / then only allowed files name all_tenants or for_tenants
    offenders = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if _is_exempt(rel) or rel in ALLOWED_CROSS_TENANT:
            continue
        used = _names_used(path) & {"all_tenants", "for_tenants"}
        if used:
            offenders.append(f"{rel}: {', '.join(sorted(used))}")
    assert offenders == [], "cross-tenant access outside the allow-list (DESIGN.md rule 6):\n" + "\n".join(
        offenders
    )


def test_for_tenants_is_used_only_in_partner_selectors():
    # rule 6: Model.objects.for_tenants(ids) only in partners/selectors.py (besides its definition)
    allowed = {"verksam/tenancy/models.py", "verksam/partners/selectors.py"}
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in _python_files()
        if "for_tenants" in _names_used(path)
        and path.relative_to(ROOT).as_posix() not in allowed
        and not _is_exempt(path.relative_to(ROOT).as_posix())
    ]
    assert offenders == []


def test_get_object_or_404_is_not_used():
    # rule 9: selectors instead of django.shortcuts.get_object_or_404 (it ignores the tenant scope)
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in _python_files()
        if "get_object_or_404" in _names_used(path)
    ]
    assert offenders == []


def _concrete_models():
    return [m for m in apps.get_models() if not m._meta.abstract and not m._meta.proxy]


def _has_tenant_fk(model) -> bool:
    try:
        field = model._meta.get_field("tenant")
    except Exception:
        return False
    return isinstance(field, models.ForeignKey) and field.related_model is Tenant


TENANT_MODELS = [m for m in _concrete_models() if _has_tenant_fk(m)]


def test_there_are_tenant_models_to_check():
    assert {m._meta.label for m in TENANT_MODELS} >= {
        "tenancy.Membership",
        "tenancy.PartnerGrant",
        "audit.AuditEvent",
    }


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m._meta.label)
def test_every_model_with_a_tenant_inherits_tenant_owned(model):
    # rule 4: a non-null tenant FK, TenantOwned, objects = ScopedManager, all_tenants declared first
    assert issubclass(model, TenantOwned)
    assert not model._meta.get_field("tenant").null
    assert isinstance(model._meta.managers_map["objects"], ScopedManager)
    assert model._meta.managers[0].name == "all_tenants"
    assert not isinstance(model._meta.managers[0], ScopedManager)
    assert model._meta.default_manager.name == "all_tenants"
    assert model._base_manager.name == "all_tenants"


@pytest.mark.parametrize(
    "model",
    [m for m in _concrete_models() if issubclass(m, TenantOwned)],
    ids=lambda m: m._meta.label,
)
def test_tenant_owned_models_are_found_by_the_rls_installer(model):
    from verksam.tenancy.rls import tenant_models

    assert model in tenant_models()

"""A partner's permissions are explicit allow-lists, one per level, in one place (DESIGN.md rule 11;
issue 7 item 1): never "everything minus …", and no other code hands a partner a permission."""

import ast
import io
import tokenize
from pathlib import Path

import pytest

from verksam.tenancy import permissions
from verksam.tenancy.access import resolve
from verksam.tenancy.models import PartnerLevel
from verksam.tenancy.permissions import NEVER_FOR_PARTNERS, PARTNER_LEVEL_PERMS, Perm

ROOT = Path(__file__).resolve().parents[2]
PERMISSIONS_PY = Path(permissions.__file__)


def _assignment(name: str) -> ast.expr:
    tree = ast.parse(PERMISSIONS_PY.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            assert node.value is not None
            return node.value
    raise AssertionError(f"{name} is not assigned in {PERMISSIONS_PY.name}")


@pytest.mark.parametrize("name", ["PARTNER_FULL", "PARTNER_LIMITED"])
def test_each_partner_level_is_a_literal_allow_list(name):
    # given the source of permissions.py / then the level is frozenset({Perm.X, Perm.Y, …}) written out
    value = _assignment(name)
    assert isinstance(value, ast.Call) and getattr(value.func, "id", "") == "frozenset", name
    (literal,) = value.args
    assert isinstance(literal, ast.Set), f"{name} must be a literal set of Perm members, not derived"
    for element in literal.elts:
        assert isinstance(element, ast.Attribute) and getattr(element.value, "id", "") == "Perm", (
            f"{name}: {ast.unparse(element)} is not a Perm member"
        )


def test_the_levels_map_to_the_allow_lists():
    assert set(PARTNER_LEVEL_PERMS) == set(PartnerLevel.values)
    assert PARTNER_LEVEL_PERMS == {"FULL": permissions.PARTNER_FULL, "LIMITED": permissions.PARTNER_LIMITED}
    assert permissions.PARTNER_LIMITED <= permissions.PARTNER_FULL


def test_every_permission_is_decided_for_partners():
    # a new Perm must be put in a partner allow-list or in NEVER_FOR_PARTNERS, on purpose
    decided = permissions.PARTNER_FULL | set(NEVER_FOR_PARTNERS)
    assert set(Perm) - decided == set(), "decide whether a partner gets these permissions"
    assert permissions.PARTNER_FULL & set(NEVER_FOR_PARTNERS) == set()


def test_no_partner_administers_the_customers_own_access():
    for perms in PARTNER_LEVEL_PERMS.values():
        assert not perms & {Perm.PARTNER_GRANTS_MANAGE, Perm.USERS_MANAGE_TOTAL, Perm.IDENTITY_VERIFY}


@pytest.mark.parametrize(("role", "level"), [("partner_full", "FULL"), ("partner_limited", "LIMITED")])
def test_every_permission_a_partner_holds_is_in_its_allow_list(request, tenant, role, level):
    # given a partner resolved through its grant / then it holds exactly its level's allow-list
    actor = resolve(request.getfixturevalue(role), tenant)
    assert actor is not None and actor.is_partner
    assert actor.perms == PARTNER_LEVEL_PERMS[level]


def _actor_calls_with_partner(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Actor"
        and any(k.arg in {"partner_tenant_id", "partner_level"} for k in node.keywords)
    ]


def _names(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    return {
        t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.NAME
    }


def test_only_access_resolve_makes_a_partner_actor_and_reads_the_levels():
    # a partner's permissions come from PARTNER_LEVEL_PERMS through tenancy.access.resolve(), nowhere else
    allowed = {"verksam/tenancy/access.py", "verksam/tenancy/permissions.py"}
    offenders = []
    for path in sorted((ROOT / "verksam").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed or "tests" in path.parts:
            continue
        if _actor_calls_with_partner(path):
            offenders.append(f"{rel}: builds a partner Actor")
        if _names(path) & {"PARTNER_LEVEL_PERMS", "PARTNER_FULL", "PARTNER_LIMITED"}:
            offenders.append(f"{rel}: reads the partner allow-lists")
    assert offenders == []

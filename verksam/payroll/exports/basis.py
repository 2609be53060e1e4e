"""The payroll basis the exports are made from: the app's selectors (issue 9 item 1), reached
through this one module so the task and the pages ask for it the same way (and tests can give a
basis of their own)."""

from collections.abc import Sequence

from verksam.tenancy.models import Tenant

from .. import selectors
from ..dto import PayrollBasis, Target


def basis_and_missing(
    *, tenant: Tenant, period_key: str, member_ids: Sequence[int] | None, target: Target | None
) -> tuple[PayrollBasis, list[selectors.MissingDay]]:
    """The basis from attested time only, and the days that keep it preliminary."""
    return selectors.basis_and_missing(
        tenant=tenant, period_key=period_key, member_ids=member_ids, target=target
    )


def remembered_member_ids(*, tenant: Tenant, period_key: str) -> list[int]:
    """The employees chosen for the period on the basis page (default: everyone)."""
    return list(selectors.chosen_member_ids(tenant=tenant, period_key=period_key))

"""Background-task helpers (DESIGN.md rule 12): side effects start after commit, tasks take JSON
primitives including `tenant_id` and run inside that tenant's scope (`verksam.tenancy.scope.tenant_task`,
which lives beside the scope because core sits below tenancy)."""

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits (at once when there is none)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))

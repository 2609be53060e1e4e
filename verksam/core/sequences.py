"""Gap-free numbers (DESIGN.md rule 16): voucher numbers per series and fiscal year, invoice numbers.

The counter is a row of the caller's model, locked with SELECT … FOR UPDATE in the caller's
transaction: two concurrent posts wait for each other, and a transaction that rolls back gives its
number back, so the numbers taken are exactly 1, 2, 3 … with no holes and no duplicates. (A database
sequence would leave holes on rollback, which the Bokföringslag's löpande numrering does not allow.)"""

from typing import Any

from django.db import models, transaction


def next_number(model: type[models.Model], *, counter_field: str = "last", **key: Any) -> int:
    """Take the next number of the counter row of `model` identified by `key` (created at 0)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    manager = model._default_manager
    counter = manager.select_for_update().filter(**key).first()
    if counter is None:
        # the first number of a new series: create the row, then lock it like any other
        manager.get_or_create(**key)
        counter = manager.select_for_update().get(**key)
    value = getattr(counter, counter_field) + 1
    manager.filter(pk=counter.pk).update(**{counter_field: value})
    return int(value)

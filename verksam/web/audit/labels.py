"""The stored codes of every app, in words, for the audit log (issue 12 item 3: no English and no
codes in the Swedish log). Here, in the web layer, because audit sits below the apps whose choices
these are (DESIGN.md import direction).

Every choice field of every Verksam model is collected by its field name, so a new status or type
reads in Swedish from the day it is stored; a few names are kept apart where two models use the same
field name for different things (both sets are merged; their stored values differ)."""

from functools import cache

from django.apps import apps

from verksam.audit.presentation import Choices

ALIASES = {"channel": "kind"}


@cache
def audit_choices() -> Choices:
    labels: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("verksam."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "choices", None) or ():
                if isinstance(value, str) and value:
                    labels.setdefault(field.name, {}).setdefault(value, label)
    # data keys that store the value of another field: a message's "channel" is its channel's kind
    for key, field_name in ALIASES.items():
        labels.setdefault(key, {}).update(labels.get(field_name, {}))
    return labels

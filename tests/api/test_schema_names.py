"""The published API says what it does (issue 7 item 6): every schema the API uses has a name of its
own. django-ninja names an OpenAPI component after its class, so two classes with one name (there
were two `DayOut` and two `DaysChangedOut`) silently share one component and one of the operations
documents the other's answer."""

import typing
from collections import defaultdict

from pydantic import BaseModel

from verksam.api.v1 import api


def _models(annotation, seen: set) -> None:
    """Every pydantic model reachable from `annotation` (fields, lists, unions, generics)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
        return
    for argument in typing.get_args(annotation):
        _models(argument, seen)


def _api_models() -> set:
    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for wrapper in operation.models:  # ninja's per-operation parameter models
                    for field in wrapper.model_fields.values():
                        _models(field.annotation, seen)
                for model in operation.response_models.values():
                    _models(model, seen)
    return seen


def collisions(models) -> dict[str, list[str]]:
    by_name = defaultdict(set)
    for model in models:
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    return {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}


def test_the_walk_finds_the_api_schemas():
    names = {model.__name__ for model in _api_models()}
    assert {"TimeEntryIn", "DayOut", "AttestationDayOut", "QueueOut", "MemberOut"} <= names


def test_a_collision_is_detected():
    first = type("DayOut", (BaseModel,), {"__module__": "one", "__annotations__": {"a": int}})
    second = type("DayOut", (BaseModel,), {"__module__": "two", "__annotations__": {"b": int}})
    assert collisions([first, second]) == {"DayOut": ["one.DayOut", "two.DayOut"]}


def test_every_schema_name_is_unique():
    assert collisions(_api_models()) == {}


def test_every_used_schema_is_a_component_of_the_document():
    components = set(api.get_openapi_schema()["components"]["schemas"])
    assert {"TimeEntryIn", "DayOut", "AttestationDayOut", "AttestationDaysChangedOut", "Error"} <= components

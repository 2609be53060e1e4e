"""Two saves of one code at the same moment: the loser of the race answers 409, never a 500 (issue 7).

The race is made deterministic by switching off the checks that run before the insert (the service's
own duplicate check and full_clean's unique and constraint checks), which is what the loser of a real
race sees: every check passed before the winner committed."""

import pytest

from verksam.core.errors import Conflict
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes import services
from verksam.timecodes.models import AbsenceType, Activity, TimeCode

from .conftest import actor_for


@pytest.fixture
def lost_race(monkeypatch):
    monkeypatch.setattr(services, "_refuse_duplicate_code", lambda *args, **kwargs: None)
    for model in (Activity, TimeCode, AbsenceType):
        monkeypatch.setattr(model, "validate_unique", lambda self, exclude=None: None)
        monkeypatch.setattr(model, "validate_constraints", lambda self, exclude=None: None)


@pytest.mark.parametrize(
    ("create", "model"),
    [
        (lambda actor: services.activity_create(actor=actor, code="RACE", name="Race"), Activity),
        (lambda actor: services.time_code_create(actor=actor, code="RACE", name="Race"), TimeCode),
        (lambda actor: services.absence_type_create(actor=actor, code="RACE", name="Race"), AbsenceType),
    ],
)
def test_the_loser_of_a_race_for_a_code_gets_409_and_nothing_is_written(
    tenant, owner, lost_race, create, model
):
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk):
        create(actor)
        with pytest.raises(Conflict) as exc:
            create(actor)
        assert exc.value.code == "duplicate_code"
        assert model.objects.filter(code="RACE").count() == 1

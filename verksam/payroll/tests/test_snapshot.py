"""The export history keeps the basis each file was made from as JSON (snapshot.py); the correction
file is computed against it, so the round trip must give back exactly the same basis — through
json.dumps/loads as the JSONField stores it — whatever the basis."""

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verksam.payroll.dto import Company, PayrollBasis
from verksam.payroll.snapshot import basis_from_json, basis_to_json

from . import builders
from .builders import ASA, ELIF, LUKASZ
from .test_property import DAYS, START, employees, text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(employees("1001", ASA), employees("2002", LUKASZ), employees("3003", ELIF)),
    st.booleans(),
    st.booleans(),
    text,
)
def test_every_basis_survives_the_json_round_trip(people, keeps_schedules, preliminary, company_name):
    basis = PayrollBasis(
        Company(company_name, "5566778899"),
        START,
        DAYS[-1],
        dt.datetime(2027, 3, 16, 12, 30, 15, 123456, tzinfo=dt.UTC),
        people,
        keeps_schedules=keeps_schedules,
        preliminary=preliminary,
    )
    stored = json.loads(json.dumps(basis_to_json(basis)))
    assert basis_from_json(stored) == basis


def test_the_builders_basis_and_its_correction_flag_survive():
    basis = builders.basis(is_correction=True, preliminary=True)
    assert basis_from_json(json.loads(json.dumps(basis_to_json(basis)))) == basis


def test_an_unknown_snapshot_version_is_refused():
    data = basis_to_json(builders.basis())
    data["version"] = 99
    with pytest.raises(ValueError, match="version"):
        basis_from_json(data)

import pytest
import time_machine

from .helpers import TODAY


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


@pytest.fixture
def today():
    """Friday 20 November 2026, noon in Stockholm."""
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()

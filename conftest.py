import pytest
from django.core.cache import cache

pytest_plugins = ["verksam.tenancy.tests.fixtures", "verksam.mail.tests.fixtures"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # The login rate limits live in the cache: no test sees another test's failed logins.
    cache.clear()
    yield
    cache.clear()

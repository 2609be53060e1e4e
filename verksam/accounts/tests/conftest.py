import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # The login rate limit lives in the cache; every test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()

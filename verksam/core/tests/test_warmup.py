"""A new server process loads the URLconf and the catalogs before its first request (gunicorn.conf.py)."""

from django.urls import get_resolver

from verksam.core.warmup import warm_up


def test_warm_up_loads_the_urlconf():
    warm_up()
    assert "url_patterns" in get_resolver().__dict__  # cached_property filled: no import on the first request

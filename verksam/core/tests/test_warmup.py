"""A new server process loads the URLconf, the catalogs, the templates and the holiday calendar
before its first request (gunicorn.conf.py)."""

import gc

from django.template import engines
from django.urls import get_resolver

from verksam.core.timeutil import _days_off
from verksam.core.warmup import prepare_worker, warm_up


def test_warm_up_loads_the_urlconf_templates_and_holidays():
    warm_up()
    resolver = get_resolver()
    assert "url_patterns" in resolver.__dict__  # cached_property filled: no import on the first request
    assert resolver._populated  # the reverse maps, per language
    assert all(sub._populated for _prefix, sub in resolver.namespace_dict.values())
    assert "web/dashboard.html" in _cached_template_names(engines["django"].engine.template_loaders)
    assert _days_off.cache_info().currsize >= 1


def _cached_template_names(loaders) -> set[str]:
    """The names in Django's cached loader, wherever it sits (template_partials wraps it)."""
    names = set()
    for loader in loaders:
        names |= {key.split("-")[0] for key in getattr(loader, "get_template_cache", {})}
        names |= _cached_template_names(getattr(loader, "loaders", []))
    return names


def test_a_template_that_does_not_compile_does_not_stop_the_worker(tmp_path, settings, caplog):
    (tmp_path / "broken.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    from verksam.core.warmup import _compile_templates

    _compile_templates()
    assert "broken.html does not compile" in caplog.text


def test_a_worker_freezes_what_it_loaded_out_of_full_collections():
    """gunicorn.conf.py's post_worker_init: the long-lived objects of the warm-up leave the
    collector's walk (gc.freeze), so a full collection no longer stalls a request for ~200 ms."""
    assert gc.get_freeze_count() == 0
    try:
        prepare_worker()
        assert gc.get_freeze_count() > 10_000
        assert "url_patterns" in get_resolver().__dict__  # and the warm-up ran
    finally:
        gc.unfreeze()

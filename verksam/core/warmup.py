"""What a new server process loads before its first request (gunicorn.conf.py post_worker_init)."""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from django.utils import timezone, translation

from verksam.core.timeutil import swedish_holidays

logger = logging.getLogger(__name__)


def prepare_worker() -> None:
    """Warm the process up, then move everything it holds into the collector's permanent generation.

    The URLconf, the schemas, the catalogs and the compiled templates are a few hundred thousand
    objects that live as long as the process. Left in the collector's oldest generation, every full
    collection walks them all: on a 2-core server ~200 ms a time, every few hundred requests, which
    is ~0.8 ms a request on average and a 200 ms stall for the unlucky one. `gc.freeze()` (what the
    Python documentation advises for long-lived pre-forked servers) takes them out of the walk; the
    garbage made before is collected first so nothing dead is frozen for good. Measured in process
    (`bench.wsgi_profile`, create + list + batch + 200-employee queue, 150 calls each): time in the
    collector 609 -> 238 ms, a full collection ~200 -> ~7 ms. Raising the thresholds on top gave no
    more (fewer but larger young collections: 342-367 ms)."""
    warm_up()
    gc.collect()
    gc.freeze()


def warm_up() -> None:
    """Import the URLconf (every view module, the API's routers and their schemas), build its
    reverse maps, read the translation catalogs, compile the templates and load the holiday
    calendar, which Django and the pages would otherwise do on the process's first requests
    (issue 13: each gunicorn worker's first Översikt took ~240 ms CPU, the p99 of a page run)."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  # imports config.urls and everything it names
    _build_reverse_maps(resolver)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Report time")
    _compile_templates()
    year = timezone.localdate().year
    for each in (year - 1, year):  # a page's weeks and months reach back into last year in January
        swedish_holidays(each)


def _build_reverse_maps(resolver: URLResolver) -> None:
    """`reverse()` fills a resolver's maps on first use, per namespace (~0.1 s for the URLconf)."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, sub in resolver.namespace_dict.values():
        _build_reverse_maps(sub)


def _compile_templates() -> None:
    """Parse the project's own templates into the cached loader (templates/, ~120 files). A template
    that does not compile is logged and left to its first request, as without the warm-up: the
    worker must start either way."""
    for engine in engines.all():
        for folder in getattr(engine, "dirs", []):
            root = Path(folder)
            for path in sorted(root.rglob("*.html")):
                name = path.relative_to(root).as_posix()
                try:
                    engine.get_template(name)
                except TemplateSyntaxError:
                    logger.exception("template %s does not compile", name)

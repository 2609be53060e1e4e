"""What a new server process loads before its first request (gunicorn.conf.py post_worker_init)."""

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    """Import the URLconf (every view module, the API's routers and their schemas) and read the
    translation catalogs, which Django would otherwise do on the process's first request (~1 s on
    the 2-core server: a stall of the first request each worker serves, issue 13)."""
    get_resolver().url_patterns  # noqa: B018  # imports config.urls and everything it names
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Report time")

"""The installable web app (issue 12 item 1): the manifest, the service worker and the offline page,
so a site manager opens Verksam from the phone's home screen and gets a Swedish page, not the
browser's error, when the building site has no coverage."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Bump when the offline page or what it needs changes: the worker then replaces its cache.
CACHE_VERSION = "verksam-offline-1"


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (W3C Web Application Manifest), in the visitor's language."""
    data = {
        "name": "Verksam",
        "short_name": "Verksam",
        "description": _("Time reporting, projects and payroll basis for Swedish companies"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("web:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#13233d",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that its scope is the whole site."""
    response = render(
        request,
        "web/app/sw.js",
        {
            "cache_version": CACHE_VERSION,
            "offline_url": reverse("web:offline"),
            "assets": [static("css/verksam.css"), static("img/icon.svg")],
        },
        content_type="text/javascript",
    )
    # The browser checks for a new worker on each visit; never serve it stale.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows when a page cannot be reached (no login needed: it is cached)."""
    return render(request, "web/app/offline.html")

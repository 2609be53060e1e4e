"""The site's own page for a refused form (CSRF_FAILURE_VIEW): Django's default is an English-styled
page of its own ("403 Forbidden", "Mer information är tillgänglig med DEBUG=True") that a user meets
after leaving a form open for long or with cookies off (issue 12 item 3: the site's own error pages).
The 404, 403 and 500 pages are templates/404.html, 403.html and 500.html (Django's default handlers)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Refuse the form in Swedish and say how to go on; the reason stays in the log, not on the page."""
    return render(request, "403_csrf.html", status=403)

"""The browser's middleware stays out of token-authenticated JSON API calls (issue 13).

A phone calling `/api/…` with `Authorization: Bearer …` and no session cookie has no session, no flash
messages, no htmx and no HTML for a Content-Security-Policy to guard: running those middleware
anyway cost ~1 ms per call. Each class here is a subclass of one of them, named in its place in
settings.MIDDLEWARE (so Django's checks still find it), that passes such a call straight on; every
other request — pages, the browser's own API calls with its session cookie — goes through the
middleware unchanged. CSRF stays Django's own middleware (`check --deploy` asks for it by name).
The request still has `request.user` (anonymous until the token authenticates it), so the API's
session authentication answers 401 for a bad token exactly as before.
"""

from typing import Any

import csp.middleware as csp
import django_htmx.middleware as htmx
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions

PREFIX = "/api/"
_FLAG = "_verksam_token_api"


def is_token_api_call(request) -> bool:
    """A call to the JSON API with a bearer token and without the browser's session cookie."""
    flag = getattr(request, _FLAG, None)
    if flag is None:
        flag = (
            request.path_info.startswith(PREFIX)
            and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        setattr(request, _FLAG, flag)
    return flag


class NotForTokenApi:
    """Mixed in before a middleware class: that middleware does nothing for a token API call."""

    get_response: Any

    def skipped(self, request) -> None:
        """What the request still needs from the skipped middleware."""

    def __call__(self, request):
        if is_token_api_call(request):
            self.skipped(request)
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(NotForTokenApi, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(NotForTokenApi, auth.AuthenticationMiddleware):
    def skipped(self, request) -> None:
        request.user = AnonymousUser()  # the token sets the user (api/auth.py)


class MessageMiddleware(NotForTokenApi, messages.MessageMiddleware):
    pass


class HtmxMiddleware(NotForTokenApi, htmx.HtmxMiddleware):
    pass


class CSPMiddleware(NotForTokenApi, csp.CSPMiddleware):
    pass

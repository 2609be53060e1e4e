"""Swedish first: the UI is Swedish unless the user picked another language with the language
switcher (Django's language cookie). The browser's Accept-Language is deliberately ignored, so a
Swedish company's staff never get a half-English UI because of a browser setting."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.views import defaults


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RefuseNulMiddleware:
    """Answer 400 to a query or form field holding a NUL character (issue 7 item 5).

    No text of ours contains NUL, and PostgreSQL refuses it in any query parameter, so a NUL that
    reached a filter would be a 500. Checked once here for every page and API call; JSON bodies are
    checked by the API's input schemas. Only URL-encoded form bodies are read here (a multipart body
    is a stream that a view must read itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [request.GET]
        if request.content_type == "application/x-www-form-urlencoded":
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    # the site's 400 page (JSON under /api/, by api.errors.JsonErrorMiddleware)
                    return defaults.bad_request(request, BadRequest("NUL character in a request field"))
        return self.get_response(request)

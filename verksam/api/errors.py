"""One error body for the whole API: `{code, message, extra}` (DESIGN.md rule 19)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from verksam.core import bounds
from verksam.core.db import is_unique_violation
from verksam.core.errors import DomainError
from verksam.core.uploads import size_text

API_PREFIX = "/api/"


def body(code: str, message: str, extra: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "extra": extra or {}}


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable machine-readable reason, e.g. not_found"},
        "message": {"type": "string", "description": "For people, in the user's language"},
        "extra": {"type": "object", "description": "Details, e.g. the field a message belongs to"},
    },
    "required": ["code", "message", "extra"],
}


def document(schema: dict) -> dict:
    """Say in the OpenAPI document what every error answer is: `{code, message, extra}` JSON."""
    schema["components"]["schemas"]["Error"] = ERROR_SCHEMA
    error = {
        "description": "Error: 4xx for a request the API refuses (nothing was written)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            responses.setdefault("default", error)
            operation["responses"] = responses
    return schema


def _status_error(status: int) -> tuple[str, str]:
    if status == 404:
        return "not_found", _("The object does not exist.")
    if status == 405:
        return "method_not_allowed", _("This address does not accept this method.")
    if status == 403:
        return "forbidden", _("You do not have permission to do this.")
    if status == 413:
        return "too_large", _("The request is too large.")
    if status >= 500:
        return "server_error", _("Something went wrong on our side. Try again in a while.")
    return "bad_request", _("The request could not be read.")


class JsonErrorMiddleware:
    """Every error answer under /api/ is `{code, message, extra}` JSON (issue 7 item 5): Django's own
    404 for an unknown address, ninja's 405 for a method a route lacks, a 400 for a request Django
    refuses before any view (a body too large) and a 500 — never an HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            refused = _refuse_oversized_upload(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = _status_error(response.status_code)
            replacement = JsonResponse(body(code, message), status=response.status_code)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


def _refuse_oversized_upload(request) -> JsonResponse | None:
    """An upload larger than any may be (a 2 GB file) is refused before its body is read, so
    nothing is spooled to disk (issue 11 "Bad input"; the web upload view does the same)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if not request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return None
    length = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.DOCUMENTS_MAX_REQUEST_BYTES
    if request.path.endswith("/receipts"):  # one receipt photo (issue 10), plus the form's overhead
        limit = settings.EXPENSES_MAX_RECEIPT_BYTES + 64 * 1024
    size = bounds.parse_size(length)
    if size is not None and size <= limit:
        return None
    message = _("The upload is larger than %(limit)s.") % {"limit": size_text(limit)}
    return JsonResponse(body("too_large", message, {"limit_bytes": limit}), status=413)


def install(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        response = api.create_response(request, body(exc.code, exc.message, exc.extra), status=exc.status)
        if "retry_after" in exc.extra:  # login rate limits (accounts/ratelimit.py)
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @api.exception_handler(ValidationError)
    def django_validation(request, exc: ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(fields.values()))[0]
        return api.create_response(request, body("invalid", first, {"fields": fields}), status=422)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request, exc: NinjaValidationError):
        return api.create_response(
            request,
            body("invalid", _("The request contains invalid data."), {"errors": exc.errors}),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, body("unauthorized", _("Log in or send a valid API token.")), status=401
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(
            request, body("forbidden", _("You do not have permission to do this.")), status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, body("not_found", _("The object does not exist.")), status=404)

    @api.exception_handler(IntegrityError)
    def integrity_error(request, exc: IntegrityError):
        # A write that passed its service's "already exists" check lost a race to a simultaneous one
        # and hit the unique constraint (issue 7 item 4). The transaction is rolled back; answer 409.
        if not is_unique_violation(exc):
            raise exc
        return api.create_response(
            request,
            body("conflict", _("Someone saved the same thing at the same moment. Reload and try again.")),
            status=409,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, body("error", str(exc)), status=exc.status_code)

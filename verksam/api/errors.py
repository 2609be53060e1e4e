"""One error body for the whole API: `{code, message, extra}` (DESIGN.md rule 19)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from verksam.core.db import is_unique_violation
from verksam.core.errors import DomainError


def body(code: str, message: str, extra: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "extra": extra or {}}


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

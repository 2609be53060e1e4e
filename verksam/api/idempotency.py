"""`Idempotency-Key` on POST (DESIGN.md rule 19): a retried request gets the first answer again and
writes nothing twice. The key belongs to the authenticated user; reusing it for another request is
refused with 422."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from verksam.accounts.services import user_for_token

from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
PREFIX = "/api/"


def _user(request):
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth.lower().startswith("bearer "):
        return user_for_token(auth[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith(PREFIX):
            return self.get_response(request)
        user = _user(request)
        if user is None:
            return self.get_response(request)
        if len(key) > 255:
            return _error("invalid_idempotency_key", _("Idempotency-Key may be at most 255 characters."))
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        stored = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if stored is not None:
            if stored.fingerprint != fingerprint:
                return _error(
                    "idempotency_key_reused", _("This Idempotency-Key was already used for another request.")
                )
            response = HttpResponse(
                bytes(stored.body), status=stored.status_code, content_type=stored.content_type
            )
            response["Idempotent-Replayed"] = "true"
            return response
        response = self.get_response(request)
        if response.status_code < 500 and not getattr(response, "streaming", False):
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=response.status_code,
                        content_type=response.get("Content-Type", "application/json"),
                        body=response.content,
                    )
            except IntegrityError:
                pass  # a concurrent retry stored it first; both answers describe the same write
        return response


def _error(code: str, message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"code": code, "message": str(message), "extra": {}}),
        status=422,
        content_type="application/json",
    )

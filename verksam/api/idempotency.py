"""`Idempotency-Key` on POST (DESIGN.md rule 19, issue 7 item 4; documented in docs/api.md).

A retried request gets the first answer again and writes nothing twice, also when the retry arrives
while the first request is still running:

1. The key is *claimed* first: an INSERT of an in-progress `IdempotencyRecord` in its own short
   transaction, under the unique constraint (tenant, user, key). Of two simultaneous requests exactly
   one insert succeeds; only that request runs.
2. The other one finds the claim and waits (polling, up to `IDEMPOTENCY_WAIT_SECONDS`) for the stored
   answer and replays it. If the first request is still not done, it answers 409
   `idempotency_key_in_progress` with `Retry-After`; it never runs the request itself.
3. The same key with another method, path or body answers 422 `idempotency_key_reused`.

Keys are scoped to the user *and* the tenant of the path (`/api/v1/tenants/{id}/…`) and expire after
`IDEMPOTENCY_KEY_TTL` (24 h; `manage.py purge_idempotency_keys` deletes them, and an expired key met on
a request is replaced there and then). A claim whose request died (a killed worker) is taken over after
`IDEMPOTENCY_LOCK_SECONDS`, far beyond any request's run time behind gunicorn's timeout.

What is never stored: requests outside a tenant (`/auth/token` answers a secret token, which must not
be replayable from a table), requests of a user who has no access to the tenant (they get the
endpoint's own 404), answers marked `Cache-Control: no-store`, and transient answers (401, 429, 5xx),
which a retry must be able to run again.
"""

import hashlib
import json
import re
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.accounts.services import user_for_token
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.selectors import tenant_get

from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
PREFIX = "/api/"
# The tenant of the path; at most 18 digits so it always fits a 64-bit id.
TENANT_PATH = re.compile(r"^/api/v1/tenants/(\d{1,18})/")
NOT_STORED = {401, 408, 429}
POLL_SECONDS = 0.05


def ttl() -> timedelta:
    return timedelta(seconds=getattr(settings, "IDEMPOTENCY_KEY_TTL_SECONDS", 24 * 3600))


def _wait_seconds() -> float:
    return float(getattr(settings, "IDEMPOTENCY_WAIT_SECONDS", 5))


def _lock_seconds() -> float:
    return float(getattr(settings, "IDEMPOTENCY_LOCK_SECONDS", 120))


def _user(request):
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth.lower().startswith("bearer "):
        return user_for_token(auth[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def _tenant_id(request, user) -> int | None:
    """The tenant of the path if the user may enter it, else None (the request then runs unkeyed)."""
    match = TENANT_PATH.match(request.path)
    if match is None:
        return None
    tenant = tenant_get(int(match[1]))
    if tenant is None or resolve(user, tenant) is None:
        return None
    return tenant.pk


def _fingerprint(request) -> str:
    return hashlib.sha256(
        request.method.encode() + b" " + request.path.encode() + b"\n" + request.body
    ).hexdigest()


def _is_dead(record: IdempotencyRecord, now) -> bool:
    """Expired, or a claim abandoned by a request that died before storing its answer."""
    age = now - record.created_at
    return age > ttl() or (not record.is_complete and age.total_seconds() > _lock_seconds())


def _claim(*, tenant_id: int, user, key: str, fingerprint: str) -> tuple[bool, IdempotencyRecord]:
    """Claim the key for this request: `(True, the new claim)`, or `(False, the row holding it)`."""
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                claim = IdempotencyRecord.objects.create(
                    tenant_id=tenant_id, user=user, key=key, fingerprint=fingerprint, created_at=now
                )
            return True, claim
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            continue  # freed between the insert and the read: claim again
        if not _is_dead(existing, now):
            return False, existing
        # Replace a dead row only if it is still the one we saw (a concurrent request may be faster).
        IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
    raise RuntimeError("could not claim an idempotency key")  # pragma: no cover - three races in a row


def _await_answer(record: IdempotencyRecord) -> tuple[str, IdempotencyRecord | None]:
    """Poll until the request holding the claim stores its answer: ("done", row), ("freed", None)
    when it stored nothing and released the key, or ("running", None) when the wait ran out."""
    deadline = time.monotonic() + _wait_seconds()
    while True:
        current = IdempotencyRecord.objects.filter(pk=record.pk).first()
        if current is None:
            return "freed", None
        if current.is_complete:
            return "done", current
        if time.monotonic() >= deadline:
            return "running", None
        time.sleep(POLL_SECONDS)


def _storable(response) -> bool:
    return (
        response.status_code < 500
        and response.status_code not in NOT_STORED
        and not getattr(response, "streaming", False)
        and "no-store" not in response.get("Cache-Control", "")
    )


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


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
            return _error(422, "invalid_idempotency_key", _("Idempotency-Key may be at most 255 characters."))
        tenant_id = _tenant_id(request, user)
        if tenant_id is None:
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        with tenant_scope(tenant_id):
            answer, claim = self._claim_or_answer(
                tenant_id=tenant_id, user=user, key=key, fingerprint=fingerprint
            )
        if answer is not None:
            return answer
        assert claim is not None
        try:
            response = self.get_response(request)
        except BaseException:
            with tenant_scope(tenant_id):
                IdempotencyRecord.objects.filter(pk=claim.pk).delete()
            raise
        with tenant_scope(tenant_id):
            if _storable(response):
                IdempotencyRecord.objects.filter(pk=claim.pk).update(
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", "application/json")[:100],
                    body=response.content,
                    completed_at=timezone.now(),
                )
            else:
                # Nothing to replay: free the key so that a retry runs the request again.
                IdempotencyRecord.objects.filter(pk=claim.pk).delete()
        return response

    @staticmethod
    def _claim_or_answer(
        *, tenant_id: int, user, key: str, fingerprint: str
    ) -> tuple[HttpResponse | None, IdempotencyRecord | None]:
        """`(None, claim)` when this request may run, else `(the answer, None)`."""
        for _attempt in range(3):
            claimed, record = _claim(tenant_id=tenant_id, user=user, key=key, fingerprint=fingerprint)
            if claimed:
                return None, record
            if record.fingerprint != fingerprint:
                return _error(
                    422,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was already used for another request."),
                ), None
            state, done = ("done", record) if record.is_complete else _await_answer(record)
            if state == "done" and done is not None:
                return _replay(done), None
            if state == "running":
                break
            # "freed": the first request stored nothing (e.g. a 5xx), so this one may run: claim again.
        response = _error(
            409,
            "idempotency_key_in_progress",
            _("A request with this Idempotency-Key is still being processed. Try again shortly."),
        )
        response["Retry-After"] = "1"
        return response, None


def _error(status: int, code: str, message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"code": code, "message": str(message), "extra": {}}),
        status=status,
        content_type="application/json",
    )

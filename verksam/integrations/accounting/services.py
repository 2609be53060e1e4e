"""Writes: connect (OAuth2 authorisation code), disconnect, token refresh, and the idempotent push of
a voucher with its receipts. The same services serve the page, the API and the background task."""

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError, NotFound
from verksam.core.tasks import enqueue_on_commit
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from . import crypto, selectors
from .dto import AttachmentToPush, RemoteVoucher, VoucherRowToPush, VoucherToPush
from .models import Connection, OAuthState, Provider, Push, PushFile, PushStatus
from .providers import ProviderError, marker_for, provider_for

STATE_TTL = timedelta(minutes=10)
REFRESH_MARGIN = timedelta(seconds=60)
ALLOWED_TYPES = {"image/jpeg", "image/png", "application/pdf"}
MAX_FILE_BYTES = 10 * 1024 * 1024
_random = secrets.SystemRandom()  # the jitter of the retry delays


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def callback_url(provider: str) -> str:
    """The redirect URI registered with the provider: one fixed URL per provider (providers match it
    exactly); the company travels in `state`."""
    return settings.SITE_URL.rstrip("/") + reverse("web:accounting_oauth_callback", args=[provider])


def _check_provider(provider: str) -> str:
    if provider not in Provider.values:
        raise NotFound(_("Unknown accounting system."))
    return provider


@transaction.atomic
def connection_start(*, actor: Actor, provider: str) -> str:
    """Start connecting the company: remember a one-time state bound to company and person, and return
    the provider's authorisation URL to send the browser to. Only the company's own users may: which
    provider account the books go to is the company's decision, not its accounting firm's."""
    actor.require(Perm.ACCOUNTING_SYSTEM_CONNECT)
    _check_provider(provider)
    active = selectors.connection_active()
    if active is not None and active.provider != provider:
        raise Conflict(
            _("The company is connected to %(name)s. Disconnect it first.")
            % {"name": active.get_provider_display()}
        )
    state = f"{actor.tenant_id}.{secrets.token_urlsafe(24)}"
    OAuthState.objects.create(
        tenant=actor.tenant, provider=provider, user=actor.user, state_hash=_hash(state)
    )
    return provider_for(provider).authorize_url(state=state, redirect_uri=callback_url(provider))


def tenant_id_from_state(state: str) -> int | None:
    head, _sep, _rest = (state or "").partition(".")
    return int(head) if head.isdigit() and len(head) < 19 else None


def connection_complete(*, actor: Actor, provider: str, state: str, code: str) -> Connection:
    """Finish connecting: the state must be this person's, for this company, unused and fresh; the code
    is exchanged for tokens, which are stored encrypted."""
    actor.require(Perm.ACCOUNTING_SYSTEM_CONNECT)
    _check_provider(provider)
    with transaction.atomic():
        pending = (
            OAuthState.objects.select_for_update()
            .filter(state_hash=_hash(state or ""), provider=provider, user=actor.user, used_at__isnull=True)
            .first()
        )
        if pending is None or pending.created_at < timezone.now() - STATE_TTL:
            raise DomainError(
                _("The connection request has expired or is not yours. Start again."), code="bad_state"
            )
        pending.used_at = timezone.now()
        pending.save(update_fields=["used_at"])
    if not code:
        raise DomainError(_("The accounting system did not approve the connection."), code="denied")
    try:
        tokens = provider_for(provider).exchange_code(code=code, redirect_uri=callback_url(provider))
    except ProviderError as exc:
        raise DomainError(
            _("The accounting system refused the connection: %(message)s") % {"message": exc.message},
            code="provider_refused",
        ) from exc
    with transaction.atomic():
        connection, _created = Connection.objects.select_for_update().get_or_create(
            tenant=actor.tenant, provider=provider, defaults={"connected_by": actor.user}
        )
        connection.access_token_enc = crypto.encrypt(tokens.access_token)
        connection.refresh_token_enc = crypto.encrypt(tokens.refresh_token)
        connection.access_expires_at = tokens.expires_at
        connection.scope = tokens.scope[:300]
        connection.connected_by = actor.user
        connection.connected_at = timezone.now()
        connection.disconnected_at = None
        connection.full_clean()
        try:
            connection.save()
        except IntegrityError as exc:
            raise Conflict(_("The company is already connected to an accounting system.")) from exc
        record(actor=actor, action="accounting.connected", target=connection, data={"provider": provider})
    return connection


@dataclass(frozen=True)
class Disconnected:
    """The outcome of a disconnect: the tokens are deleted here either way; `revoked` says whether the
    provider confirmed the revocation, else `message` tells the user to revoke the access there."""

    connection: Connection
    revoked: bool
    message: str = ""


def connection_disconnect(*, actor: Actor) -> Disconnected:
    """Disconnect the company: delete the stored tokens, then revoke the refresh token at the provider
    (RFC 7009). The tokens are deleted even when the provider cannot be reached (the user is told to
    revoke the access there); pushes already made stay listed.

    The provider is called after the disconnect is committed, not under the connection's row lock:
    a provider that answers slowly must not hold that lock (on SQLite the database's write lock, so
    every writer of every company) for its whole timeout. Taking the lock first still waits for a
    refresh in progress, so the token revoked is the newest; once committed, no refresh can rotate it
    (`access_token` finds no active connection). Each step has its own audit event, so the audit log
    is never half-written: `accounting.disconnected` with the tokens' deletion, then
    `accounting.revoked` or `accounting.revoke_failed`."""
    actor.require(Perm.ACCOUNTING_SYSTEM_CONNECT)
    with transaction.atomic():
        active = selectors.connection_active()
        if active is None:
            raise NotFound(_("The company is not connected to an accounting system."))
        connection = Connection.objects.select_for_update().get(pk=active.pk)
        refresh_token = crypto.decrypt(connection.refresh_token_enc)
        connection.access_token_enc = connection.refresh_token_enc = ""
        connection.access_expires_at = None
        connection.disconnected_at = timezone.now()
        connection.save()
        record(
            actor=actor,
            action="accounting.disconnected",
            target=connection,
            data={"provider": connection.provider},
        )
    error = ""
    try:
        if not refresh_token:
            raise ProviderError(_("no refresh token is stored"))
        provider_for(connection.provider).revoke(refresh_token=refresh_token)
    except ProviderError as exc:
        error = exc.message
    record(
        actor=actor,
        action="accounting.revoke_failed" if error else "accounting.revoked",
        target=connection,
        data={"provider": connection.provider, **({"error": error[:300]} if error else {})},
    )
    if not error:
        return Disconnected(connection, revoked=True)
    message = _(
        "%(name)s could not confirm that Verksam's access is revoked (%(error)s). The connection is "
        "removed here. Revoke Verksam's access among the integrations in %(name)s as well."
    ) % {"name": connection.get_provider_display(), "error": error}
    return Disconnected(connection, revoked=False, message=message)


def access_token(*, provider: str) -> str:
    """A valid access token of the active connection. Both providers rotate the refresh token on every
    refresh and the old one stops working, so the refresh happens under the connection's row lock and
    the new pair is saved in the same transaction: a concurrent caller waits and then reads the new
    token instead of spending the old refresh token a second time."""
    with transaction.atomic():
        connection = (
            Connection.objects.select_for_update()
            .filter(provider=provider, disconnected_at__isnull=True)
            .first()
        )
        if connection is None:
            raise ProviderError(
                _("The company is not connected to %(name)s.") % {"name": Provider(provider).label}
            )
        if connection.access_expires_at and connection.access_expires_at > timezone.now() + REFRESH_MARGIN:
            token = crypto.decrypt(connection.access_token_enc)
            if token:
                return token
        try:
            tokens = provider_for(provider).refresh(
                refresh_token=crypto.decrypt(connection.refresh_token_enc)
            )
        except ProviderError as exc:
            if exc.retryable:
                raise
            raise ProviderError(
                _("The connection to %(name)s has expired: connect again (%(message)s).")
                % {"name": Provider(provider).label, "message": exc.message},
                status=exc.status,
            ) from exc
        connection.access_token_enc = crypto.encrypt(tokens.access_token)
        connection.refresh_token_enc = crypto.encrypt(tokens.refresh_token)
        connection.access_expires_at = tokens.expires_at
        connection.save(update_fields=["access_token_enc", "refresh_token_enc", "access_expires_at"])
        return tokens.access_token


def _validate(voucher: VoucherToPush) -> None:
    errors = []
    if not voucher.idempotency_key or len(voucher.idempotency_key) > 120:
        errors.append(_("The voucher has no key."))
    if len(voucher.rows) < 2:
        errors.append(_("A voucher needs at least two rows."))
    for row in voucher.rows:
        if not 1000 <= row.account <= 9999:
            errors.append(
                _("Account %(account)s is not a BAS account (1000–9999).") % {"account": row.account}
            )
        if row.debit_ore < 0 or row.credit_ore < 0 or bool(row.debit_ore) == bool(row.credit_ore):
            errors.append(_("Each row has either a debit or a credit amount."))
    if voucher.debit_ore != voucher.credit_ore:
        errors.append(_("The voucher does not balance: debit and credit differ."))
    for attachment in voucher.attachments:
        if attachment.content_type not in ALLOWED_TYPES or not 0 < len(attachment.data) <= MAX_FILE_BYTES:
            errors.append(_("A receipt must be a JPEG, PNG or PDF of at most 10 MB."))
    if errors:
        raise DomainError(" ".join(dict.fromkeys(errors)), code="invalid_voucher")


def _payload(voucher: VoucherToPush) -> dict:
    data = asdict(voucher)
    data["date"] = voucher.date.isoformat()
    data.pop("attachments")
    return data


def voucher_from_push(push: Push) -> VoucherToPush:
    p = push.payload
    return VoucherToPush(
        idempotency_key=p["idempotency_key"],
        series=p["series"],
        date=date.fromisoformat(p["date"]),
        text=p["text"],
        rows=tuple(VoucherRowToPush(**row) for row in p["rows"]),
        attachments=tuple(
            AttachmentToPush(f.file_name, f.content_type, bytes(f.data)) for f in push.files.order_by("pk")
        ),
    )


@transaction.atomic
def push_enqueue(*, actor: Actor, voucher: VoucherToPush) -> Push:
    """Queue a voucher for the connected accounting system. The same idempotency key gives back the
    same push (a failed one is queued again), so a voucher is never booked twice."""
    actor.require(Perm.ACCOUNTING_SYSTEM)
    _validate(voucher)
    connection = selectors.connection_active()
    if connection is None:
        raise DomainError(_("Connect the company to Fortnox or Visma eEkonomi first."), code="not_connected")
    push = (
        Push.objects.select_for_update()
        .filter(provider=connection.provider, idempotency_key=voucher.idempotency_key)
        .first()
    )
    if push is not None:
        if push.status == PushStatus.FAILED:
            _queue_again(push)
            enqueue_on_commit(_task(), tenant_id=actor.tenant_id, push_id=push.pk)
        return push
    push = Push(
        tenant=actor.tenant,
        provider=connection.provider,
        idempotency_key=voucher.idempotency_key,
        marker=marker_for(voucher.idempotency_key),
        payload=_payload(voucher),
        created_by=actor.user,
    )
    push.full_clean()
    push.save()
    PushFile.objects.bulk_create(
        PushFile(
            tenant=actor.tenant,
            push=push,
            file_name=a.file_name[:200],
            content_type=a.content_type,
            data=a.data,
        )
        for a in voucher.attachments
    )
    record(actor=actor, action="accounting.push_queued", target=push, data={"provider": push.provider})
    enqueue_on_commit(_task(), tenant_id=actor.tenant_id, push_id=push.pk)
    return push


@transaction.atomic
def push_retry(*, actor: Actor, push_id: int) -> Push:
    """Queue a failed push again."""
    actor.require(Perm.ACCOUNTING_SYSTEM)
    push = selectors.push_get(push_id=push_id, for_update=True)
    if push.status != PushStatus.FAILED:
        raise Conflict(_("Only a failed push can be sent again."))
    _queue_again(push)
    record(actor=actor, action="accounting.push_retried", target=push)
    enqueue_on_commit(_task(), tenant_id=actor.tenant_id, push_id=push.pk)
    return push


def _queue_again(push: Push) -> None:
    """A failed push queued again by a person gets a fresh ACCOUNTING_PUSH_MAX_ATTEMPTS; `attempts`
    keeps counting (an attempt after the first always looks the voucher up before creating it)."""
    push.status, push.updated_at = PushStatus.QUEUED, timezone.now()
    push.attempts_at_queue, push.next_attempt_at = push.attempts, None
    push.save(update_fields=["status", "updated_at", "attempts_at_queue", "next_attempt_at"])


def _task():
    from .tasks import push_send

    return push_send


def _update(push_id: int, **fields) -> None:
    Push.objects.filter(pk=push_id).update(updated_at=timezone.now(), **fields)


def _record_remote(push: Push, remote: RemoteVoucher) -> None:
    """Save the remote id at once: a crash after this point never creates the voucher again."""
    _update(push.pk, remote_voucher_id=remote.remote_id)


def retry_delay(attempt: int, retry_after: float | None = None) -> timedelta:
    """The wait before attempt `attempt` + 1: exponential back-off (ACCOUNTING_PUSH_BACKOFF × 2^(n-1),
    at most ACCOUNTING_PUSH_BACKOFF_MAX) with "equal jitter" (half fixed, half random, so pushes failed
    by the same outage do not return together), and never sooner than the provider's Retry-After."""
    backoff = min(
        float(settings.ACCOUNTING_PUSH_BACKOFF) * 2 ** max(attempt - 1, 0),
        float(settings.ACCOUNTING_PUSH_BACKOFF_MAX),
    )
    seconds = backoff / 2 + _random.uniform(0, backoff / 2)
    if retry_after is not None:
        seconds = max(seconds, float(retry_after))
    return timedelta(seconds=seconds)


def _requeue(push: Push, run_after: datetime) -> None:
    """Queue the push's task again to run at `run_after`. The production backend (django_tasks_db)
    honours run_after; the immediate backend of tests cannot wait and runs it at once (still bounded
    by the attempts)."""
    task = _task()
    if task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    enqueue_on_commit(task, tenant_id=push.tenant_id, push_id=push.pk)


def push_run(*, push_id: int) -> str:
    """Make one attempt at sending a push. A 429 (after its Retry-After), 5xx, timeout or lost
    connection queues the task again for later with back-off — the worker never sleeps — until
    ACCOUNTING_PUSH_MAX_ATTEMPTS attempts; then, or at once on a refusal (4xx), the push fails with the
    provider's message. Crash safety: the status is set to "sending" (committed) before any remote
    call, and any attempt after the first looks the voucher up by its marker before creating it, so a
    voucher created by a run that died before saving its id is found, not doubled."""
    with transaction.atomic():
        push = Push.objects.select_for_update().filter(pk=push_id).first()
        if push is None or push.status in (PushStatus.SENT, PushStatus.FAILED):
            return "nothing to do"  # a stale task: sent, or failed until someone sends it again
        earlier = push.attempts > 0 or push.status == PushStatus.SENDING
        push.status, push.attempts, push.updated_at = PushStatus.SENDING, push.attempts + 1, timezone.now()
        push.next_attempt_at = None
        push.save(update_fields=["status", "attempts", "updated_at", "next_attempt_at"])
    voucher = voucher_from_push(push)
    provider = provider_for(push.provider)
    try:
        token = access_token(provider=push.provider)
        remote = RemoteVoucher(push.remote_voucher_id) if push.remote_voucher_id else None
        if remote is None and earlier:
            remote = provider.find_voucher(token=token, voucher=voucher, marker=push.marker)
        if remote is None:
            remote = provider.create_voucher(token=token, voucher=voucher, marker=push.marker)
        if remote.remote_id != push.remote_voucher_id:
            _record_remote(push, remote)
        provider.attach(token=token, remote=remote, attachments=voucher.attachments)
    except ProviderError as exc:
        return _attempt_failed(push, exc)
    with transaction.atomic():
        _update(push_id, status=PushStatus.SENT, last_error="", sent_at=timezone.now())
        PushFile.objects.filter(push_id=push_id).delete()  # the receipts live at the provider now
        record(
            actor=None,
            tenant_id=push.tenant_id,
            action="accounting.push_sent",
            target=push,
            data={"remote_voucher_id": remote.remote_id},
        )
    return "sent"


def _attempt_failed(push: Push, exc: ProviderError) -> str:
    """Queue the push again later (retryable, attempts left) or fail it with the provider's message."""
    message = exc.message[:2000]
    attempt = push.attempts - push.attempts_at_queue  # of this round (since it was last queued)
    if exc.retryable and attempt < int(settings.ACCOUNTING_PUSH_MAX_ATTEMPTS):
        run_after = timezone.now() + retry_delay(attempt, exc.retry_after)
        _update(push.pk, status=PushStatus.QUEUED, last_error=message, next_attempt_at=run_after)
        _requeue(push, run_after)
        return "retry"
    with transaction.atomic():
        _update(push.pk, status=PushStatus.FAILED, last_error=message, next_attempt_at=None)
        record(
            actor=None,
            tenant_id=push.tenant_id,
            action="accounting.push_failed",
            target=push,
            data={"error": message[:500], "attempts": push.attempts},
        )
    return "failed"

"""Writes of the portal's messages. Posting is audited; marking as read is a receipt, not audited."""

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError, NotFound
from verksam.core.uploads import clean_name, read_head_and_hash, size_text, sniff
from verksam.mail.services import mail_send_template
from verksam.tenancy.access import Actor

from . import selectors
from .models import Attachment, Channel, ChannelKind, Message, MessageSetting, ReadMark

MAIL_KIND = "message"
MAX_ATTACHMENTS = 10


def _row(actor: Actor, firm_id: int, key: str) -> selectors.ChannelRow:
    if not selectors.may_use(actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))
    row = selectors.channel_row(actor, firm_id, key)
    if row is None:
        raise NotFound(_("The channel does not exist."))
    return row


def _channel(actor: Actor, firm_id: int, row: selectors.ChannelRow) -> Channel:
    if row.channel is not None:
        return row.channel
    channel = Channel(
        tenant_id=actor.tenant_id,
        partner_tenant_id=firm_id,
        kind=ChannelKind.GENERAL if row.member is None else ChannelKind.INDIVIDUAL,
        member=row.member,
    )
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:  # created by a simultaneous first message
        channel = Channel.objects.get(partner_tenant_id=firm_id, kind=channel.kind, member=row.member)
    return channel


@transaction.atomic
def message_post(*, actor: Actor, firm_id: int, key: str, body: str, files=()) -> Message:
    """Write a message (with attachments) in a channel one may read; the other side is e-mailed."""
    row = _row(actor, firm_id, key)
    body = (body or "").strip()
    files = list(files)
    if not body and not files:
        raise DomainError(
            _("Write a message or attach a file."), code="empty_message", extra={"field": "body"}
        )
    if len(body) > 10_000:
        raise DomainError(
            _("A message can be at most 10,000 characters long."), code="too_long", extra={"field": "body"}
        )
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(n)d attachments per message.") % {"n": MAX_ATTACHMENTS}, code="too_many_files"
        )
    checked = []
    for f in files:
        name = clean_name(getattr(f, "name", ""))
        head, _sha, size = read_head_and_hash(f)
        if size == 0:
            raise DomainError(_("The file %(name)s is empty.") % {"name": name}, code="empty_file")
        if size > settings.MESSAGES_MAX_ATTACHMENT_BYTES:
            raise DomainError(
                _("The file %(name)s is larger than %(limit)s.")
                % {"name": name, "limit": size_text(settings.MESSAGES_MAX_ATTACHMENT_BYTES)},
                code="file_too_large",
            )
        checked.append((f, name, size, sniff(head, name)))
    channel = _channel(actor, firm_id, row)
    message = Message(
        tenant_id=actor.tenant_id, channel=channel, author=actor.user, from_firm=actor.is_partner, body=body
    )
    message.full_clean(exclude=["channel", "author"])
    message.save()
    stored: list[str] = []
    try:
        for f, name, size, content_type in checked:
            attachment = Attachment(
                tenant_id=actor.tenant_id, message=message, name=name, size=size, content_type=content_type
            )
            attachment.file.save("upload", File(f), save=False)
            stored.append(attachment.file.name or "")
            attachment.save()
    except Exception:
        for path in stored:
            default_storage.delete(path)
        raise
    _mark(actor, channel, message.created_at)
    record(
        actor=actor,
        action="message.post",
        target=message,
        label=row.label,
        data={"channel": key, "attachments": len(checked)},
    )
    _notify(actor, channel, message, firm_id, key)
    return message


def _notify(actor: Actor, channel: Channel, message: Message, firm_id: int, key: str) -> None:
    channel.tenant = actor.tenant
    link = settings.SITE_URL + reverse("web:messages", args=[actor.tenant.slug, firm_id]) + f"?channel={key}"
    for user in selectors.recipients(channel, from_firm=actor.is_partner, exclude_user_id=actor.user.pk):
        mail_send_template(
            tenant_id=actor.tenant_id,
            to=user.email,
            template="messaging/email/message",
            context={
                "message": message,
                "company": actor.tenant,
                "by": actor.user.name or actor.user.email,
                "general": channel.kind == ChannelKind.GENERAL,
                "link": link,
            },
            kind=MAIL_KIND,
        )


def _mark(actor: Actor, channel: Channel, when) -> None:
    updated = ReadMark.objects.filter(channel=channel, user=actor.user, last_read_at__lt=when).update(
        last_read_at=when
    )
    if not updated and not ReadMark.objects.filter(channel=channel, user=actor.user).exists():
        ReadMark.objects.create(
            tenant_id=actor.tenant_id, channel=channel, user=actor.user, last_read_at=when
        )


@transaction.atomic
def channel_mark_read(*, actor: Actor, firm_id: int, key: str) -> None:
    """Note that `actor` has read the channel up to now (clears its unread count)."""
    row = _row(actor, firm_id, key)
    if row.channel is not None:
        _mark(actor, row.channel, timezone.now())


@transaction.atomic
def message_setting_update(*, actor: Actor, firm_id: int, email_on_message: bool) -> MessageSetting:
    """Turn e-mail about new messages of a collaboration on or off, for oneself."""
    if not selectors.may_use(actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))
    setting, _created = MessageSetting.objects.get_or_create(
        tenant_id=actor.tenant_id, partner_tenant_id=firm_id, user=actor.user
    )
    setting.email_on_message = email_on_message
    setting.save(update_fields=["email_on_message"])
    return setting

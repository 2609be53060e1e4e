"""Reads of a collaboration's messages.

Who reads which channel (the seed's "Meddelanden", "*Behöriga"):
- a person of the collaboration's firm with MESSAGES_PARTNER (FULL): every channel;
- the general channel: the customer's authorised users, i.e. TOTAL users in Pro/Business/Easy and
  every user in the Dokument variant;
- an individual channel: the customer user it belongs to (nobody else of the customer).
"""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from verksam.tenancy.access import Actor
from verksam.tenancy.models import Licence, Membership, PartnerGrant, PartnerLevel, Variant
from verksam.tenancy.permissions import Perm

from .models import Attachment, Channel, ChannelKind, Message, MessageSetting, ReadMark

GENERAL = "general"


def collaboration_exists(firm_id: int) -> bool:
    return PartnerGrant.objects.filter(partner_tenant_id=firm_id, revoked_at__isnull=True).exists()


def may_use(actor: Actor, firm_id: int) -> bool:
    if actor.is_partner:
        return actor.partner_tenant_id == firm_id and actor.has(Perm.MESSAGES_PARTNER)
    return actor.membership is not None and collaboration_exists(firm_id)


def reaches_general(actor: Actor) -> bool:
    """Whether a customer user is among the general channel's authorised users."""
    if actor.membership is None:
        return False
    return actor.tenant.variant == Variant.DOKUMENT or actor.membership.licence == Licence.TOTAL


@dataclass
class ChannelRow:
    key: str  # "general" or "m<membership id>"
    label: str
    channel: Channel | None  # None until its first message
    member: Membership | None
    unread: int = 0


def _unread_by_channel(user_id: int, channel_ids: list[int]) -> dict[int, int]:
    """Messages not written by `user_id` and newer than their read mark, per channel: one query."""
    if not channel_ids:
        return {}
    mark = ReadMark.objects.filter(channel=OuterRef("channel"), user_id=user_id).values("last_read_at")[:1]
    rows = (
        Message.objects.filter(channel_id__in=channel_ids)
        .exclude(author_id=user_id)
        .annotate(mark=Subquery(mark))
        .filter(Q(mark__isnull=True) | Q(created_at__gt=F("mark")))
        .values("channel_id")
        .annotate(n=Count("pk"))
    )
    return {r["channel_id"]: r["n"] for r in rows}


def channel_list(actor: Actor, firm_id: int) -> list[ChannelRow]:
    """The channels `actor` may read, with unread counts: a constant number of queries."""
    from django.utils.translation import gettext as _

    channels = {
        (c.kind, c.member_id): c
        for c in Channel.objects.filter(partner_tenant_id=firm_id).select_related("member")
    }
    rows: list[ChannelRow] = []
    if actor.is_partner or reaches_general(actor):
        rows.append(
            ChannelRow(GENERAL, _("General channel"), channels.get((ChannelKind.GENERAL, None)), None)
        )
    if actor.is_partner:
        members = Membership.objects.filter(is_active=True).select_related("user").order_by("user__name")
    else:
        members = (
            Membership.objects.filter(pk=actor.membership.pk).select_related("user")
            if actor.membership
            else []
        )
    for m in members:
        label = m.user.name or m.user.email
        if not actor.is_partner:
            label = _("My channel with the accounting firm")
        rows.append(ChannelRow(f"m{m.pk}", label, channels.get((ChannelKind.INDIVIDUAL, m.pk)), m))
    unread = _unread_by_channel(actor.user.pk, [r.channel.pk for r in rows if r.channel])
    for r in rows:
        r.unread = unread.get(r.channel.pk, 0) if r.channel else 0
    return rows


def channel_row(actor: Actor, firm_id: int, key: str) -> ChannelRow | None:
    """The channel `key` if `actor` may read it (None: 404)."""
    return next((r for r in channel_list(actor, firm_id) if r.key == key), None)


def message_list(channel: Channel | None, *, after_id: int = 0) -> QuerySet[Message] | list:
    if channel is None:
        return []
    return (
        Message.objects.filter(channel=channel, pk__gt=after_id)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def attachment_get(actor: Actor, attachment_id: int) -> Attachment | None:
    """An attachment, if its channel is one `actor` may read."""
    attachment = Attachment.objects.select_related("message__channel").filter(pk=attachment_id).first()
    if attachment is None:
        return None
    channel = attachment.message.channel
    key = GENERAL if channel.kind == ChannelKind.GENERAL else f"m{channel.member_id}"
    if (
        not may_use(actor, channel.partner_tenant_id)
        or channel_row(actor, channel.partner_tenant_id, key) is None
    ):
        return None
    return attachment


def recipients(channel: Channel, *, from_firm: bool, exclude_user_id: int) -> list:
    """Who is told by e-mail of a new message: the other side's readers of the channel."""
    if from_firm:
        if channel.kind == ChannelKind.INDIVIDUAL:
            members = Membership.objects.filter(pk=channel.member_id, is_active=True)
        else:
            members = Membership.objects.filter(is_active=True)
            if channel.tenant.variant != Variant.DOKUMENT:
                members = members.filter(licence=Licence.TOTAL)
        users = [m.user for m in members.select_related("user")]
    else:
        grants = PartnerGrant.objects.filter(
            partner_tenant_id=channel.partner_tenant_id, revoked_at__isnull=True, level=PartnerLevel.FULL
        ).select_related("user")
        users = [g.user for g in grants]
    off = set(
        MessageSetting.objects.filter(
            partner_tenant_id=channel.partner_tenant_id, email_on_message=False
        ).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk != exclude_user_id and u.is_active and u.pk not in off]


def message_setting(actor: Actor, firm_id: int) -> MessageSetting:
    return MessageSetting.objects.filter(
        partner_tenant_id=firm_id, user=actor.user
    ).first() or MessageSetting(tenant_id=actor.tenant_id, partner_tenant_id=firm_id, user=actor.user)

"""Messages between a customer and its accounting firm (issue 11 item 5, the seed's "Meddelanden").

Per collaboration (customer tenant × firm) one general channel, which reaches every authorised user
of the customer (Pro/Business/Easy: TOTAL users; Dokument: all users), and one individual channel per
customer user. A channel row is created with its first message; reads never write (issue 7).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import Membership, Tenant, TenantOwned


class ChannelKind(models.TextChoices):
    GENERAL = "general", _("General channel")
    INDIVIDUAL = "individual", _("Individual channel")


class Channel(TenantOwned):
    partner_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ChannelKind.choices)
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner_tenant"],
                condition=Q(kind="general"),
                name="messaging_channel_one_general",
            ),
            models.UniqueConstraint(
                fields=["tenant", "partner_tenant", "member"],
                condition=Q(kind="individual"),
                name="messaging_channel_one_per_member",
            ),
            models.CheckConstraint(
                condition=(Q(kind="general") & Q(member__isnull=True))
                | (Q(kind="individual") & Q(member__isnull=False)),
                name="messaging_channel_member_iff_individual",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id or ''}".strip()


class Message(TenantOwned):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_firm = models.BooleanField(default=False)  # written by the accounting firm's side
    body = models.TextField(_("message"), max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["channel", "created_at"], name="messaging_message_channel")]

    def __str__(self) -> str:
        return self.body[:40]


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"messages/{instance.tenant_id}/{uuid.uuid4().hex}"  # tenant prefix, never the user's name


class Attachment(TenantOwned):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="messaging_attachment_not_empty")]

    def __str__(self) -> str:
        return self.name


class ReadMark(TenantOwned):
    """Until when a person has read a channel: what is newer (and not their own) is unread."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="messaging_readmark_once")]


class MessageSetting(TenantOwned):
    """A person's choice of e-mail about new messages in a collaboration (per user, issue 11)."""

    partner_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_on_message = models.BooleanField(_("e-mail me when a message arrives"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner_tenant", "user"], name="messaging_setting_once"
            ),
        ]

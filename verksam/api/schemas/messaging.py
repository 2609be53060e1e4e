import datetime as dt

from ninja import Schema
from pydantic import Field, StrictBool

from ..types import QueryIn, StrictIn


class ChannelOut(Schema):
    key: str = Field(description='"general" or "m<membership id>" (an individual channel)')
    label: str
    unread: int


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class MessageOut(Schema):
    id: int
    author: str
    from_firm: bool
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author(obj) -> str:
        return (obj.author.name or obj.author.email) if obj.author else ""

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class MessageQuery(QueryIn):
    after_id: int = Field(0, ge=0, le=2**63 - 1, description="Only messages newer than this id (polling)")


class MessageSettingOut(Schema):
    email_on_message: bool


class MessageSettingIn(StrictIn):
    email_on_message: StrictBool

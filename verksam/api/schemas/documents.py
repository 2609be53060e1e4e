import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool

from ..types import StrictId, StrictIn

Access = Literal["none", "read", "edit"]


class DocumentCollaborationOut(Schema):
    firm_id: int
    name: str


class FolderOut(Schema):
    id: int
    name: str
    parent_id: int | None
    depth: int
    customer_access: str
    all_customer_users: bool
    access: str = Field(description="My access: read or edit")


class FolderIn(StrictIn):
    name: str = Field(min_length=1, max_length=120)
    parent_id: StrictId | None = None
    customer_access: Access = "read"
    all_customer_users: StrictBool = True
    member_ids: list[StrictId] = Field(default_factory=list, max_length=500)


class FolderPatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=120)
    customer_access: Access | None = None
    all_customer_users: StrictBool | None = None
    member_ids: list[StrictId] | None = Field(None, max_length=500)


class DocumentOut(Schema):
    id: int
    folder_id: int
    name: str
    size: int
    content_type: str
    version_count: int
    updated_at: dt.datetime
    new_to_firm: bool

    @staticmethod
    def resolve_new_to_firm(obj) -> bool:
        return obj.partner_seen_at is None


class VersionOut(Schema):
    number: int
    size: int
    content_type: str
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str

    @staticmethod
    def resolve_uploaded_by(obj) -> str:
        return obj.uploaded_by.name if obj.uploaded_by else ""


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.select_related("uploaded_by").order_by("-number"))


class DocumentPatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=250)
    folder_id: StrictId | None = None


class UploadErrorOut(Schema):
    name: str
    code: str
    message: str


class UploadOut(Schema):
    uploaded: list[DocumentOut]
    errors: list[UploadErrorOut]


class StorageOut(Schema):
    used_bytes: int
    quota_bytes: int


class NotificationOut(Schema):
    on_new_document: bool


class NotificationIn(StrictIn):
    on_new_document: StrictBool

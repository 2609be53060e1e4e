"""Documents shared between a customer and its accounting firm (issue 11 item 4).

Every row belongs to the customer's tenant; `partner_tenant` names the firm of the collaboration, so
a customer working with two firms has two separate folder trees. Files are stored through Django's
storage API under a tenant prefix with a random name (DESIGN.md rule 17) and served only through
permission-checked views.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import Membership, Tenant, TenantOwned


class CustomerAccess(models.TextChoices):
    NONE = "none", _("No access for the customer")
    READ = "read", _("The customer may read")
    EDIT = "edit", _("The customer may read and edit")


class Folder(TenantOwned):
    """A folder of a collaboration's tree, created by the firm. Who of the customer may read or edit
    it is decided per folder: `customer_access`, for everyone (`all_customer_users`) or the members
    listed in FolderMember."""

    partner_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=120)
    customer_access = models.CharField(
        _("the customer's access"), max_length=10, choices=CustomerAccess.choices, default=CustomerAccess.READ
    )
    all_customer_users = models.BooleanField(_("every user of the customer"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)  # in the bin since (30 days)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner_tenant", "parent", "name"],
                condition=Q(deleted_at__isnull=True),
                name="documents_folder_unique_name",
                violation_error_message=_("A folder with that name already exists here."),
            ),
            models.UniqueConstraint(
                fields=["tenant", "partner_tenant", "name"],
                condition=Q(deleted_at__isnull=True, parent__isnull=True),
                name="documents_folder_unique_top_name",
                violation_error_message=_("A folder with that name already exists here."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FolderMember(TenantOwned):
    """A customer user who has the folder's access when it is not for every user."""

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["folder", "membership"], name="documents_foldermember_once"),
        ]


class Document(TenantOwned):
    """A file in a folder, with its versions (a same-name upload adds a version)."""

    partner_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("name"), max_length=200)
    size = models.BigIntegerField(default=0)  # of the current version
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    version_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when a person of the firm has seen the current version (or uploaded it): the badge "new
    # documents" counts those the firm has not.
    partner_seen_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "name"],
                condition=Q(deleted_at__isnull=True),
                name="documents_document_unique_name",
                violation_error_message=_("A file with that name already exists in the folder."),
            ),
        ]
        indexes = [models.Index(fields=["partner_tenant", "partner_seen_at"], name="documents_doc_unseen")]

    def __str__(self) -> str:
        return self.name


def _version_path(instance: "DocumentVersion", filename: str) -> str:
    # Never the user's file name: a tenant prefix and a random name (rule 17; no path tricks).
    return f"documents/{instance.tenant_id}/{uuid.uuid4().hex}"


class DocumentVersion(TenantOwned):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_version_path, max_length=200)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique_number"),
            models.CheckConstraint(condition=Q(size__gt=0), name="documents_version_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class NotificationSetting(TenantOwned):
    """A person's choice of e-mail notifications about a collaboration's documents."""

    partner_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on_new_document = models.BooleanField(_("e-mail me when a document is uploaded"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner_tenant", "user"], name="documents_notificationsetting_once"
            ),
        ]


class StorageAccount(models.Model):
    """The storage a partner account (an accounting firm) uses across all its collaborations, against
    its quota. Not tenant-owned on purpose: a customer's upload counts against the firm's quota, so
    both sides update this one counter (under select_for_update); it holds no content, only sizes."""

    partner_tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    used_bytes = models.BigIntegerField(default=0)
    quota_bytes = models.BigIntegerField(null=True, blank=True)  # None: settings.DOCUMENTS_QUOTA_BYTES

    def __str__(self) -> str:
        return f"{self.partner_tenant_id}: {self.used_bytes}"

    @property
    def quota(self) -> int:
        return self.quota_bytes if self.quota_bytes is not None else settings.DOCUMENTS_QUOTA_BYTES

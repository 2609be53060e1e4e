"""Writes of a collaboration's documents. Every write checks the folder permission and is audited."""

import logging

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.core.uploads import clean_name, read_head_and_hash, size_text, sniff
from verksam.mail.services import mail_send_template
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from . import selectors
from .models import (
    CustomerAccess,
    Document,
    DocumentVersion,
    Folder,
    FolderMember,
    NotificationSetting,
    StorageAccount,
)

logger = logging.getLogger(__name__)
MAIL_KIND = "document"


def _require_share(actor: Actor, firm_id: int) -> None:
    if not actor.has(Perm.DOCUMENTS_SHARE) or not selectors.may_use(actor, firm_id):
        raise Forbidden(
            _("You do not have permission to do this."), extra={"perm": str(Perm.DOCUMENTS_SHARE)}
        )


def _require_edit(actor: Actor, folder: Folder) -> None:
    access = selectors.folder_access(actor, folder)
    if access == selectors.NONE:
        raise NotFound(_("The folder does not exist."))
    if access != selectors.EDIT:
        raise Forbidden(_("You may read this folder but not change it."), code="read_only")


def _check_folder_name(name: str) -> str:
    return clean_name(name)[:120]


def _members(member_ids: list[int] | None) -> list[Membership]:
    if not member_ids:
        return []
    members = list(Membership.objects.filter(pk__in=member_ids, is_active=True))
    if len(members) != len(set(member_ids)):
        raise DomainError(
            _("The selected item does not exist."), code="invalid_member", extra={"field": "members"}
        )
    return members


def _set_members(folder: Folder, member_ids: list[int] | None) -> None:
    members = _members(member_ids)
    FolderMember.objects.filter(folder=folder).exclude(membership__in=members).delete()
    have = set(FolderMember.objects.filter(folder=folder).values_list("membership_id", flat=True))
    FolderMember.objects.bulk_create(
        [
            FolderMember(tenant_id=folder.tenant_id, folder=folder, membership=m)
            for m in members
            if m.pk not in have
        ]
    )


def _save_unique(obj, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(message, code="duplicate_name", extra={"field": "name"}) from exc


@transaction.atomic
def folder_create(
    *,
    actor: Actor,
    firm_id: int,
    name: str,
    parent: Folder | None = None,
    customer_access: str = CustomerAccess.READ,
    all_customer_users: bool = True,
    member_ids: list[int] | None = None,
) -> Folder:
    """Create a folder in the collaboration's tree (the firm, or the customer's administrators)."""
    _require_share(actor, firm_id)
    if parent is not None:
        _require_edit(actor, parent)
        if parent.partner_tenant_id != firm_id:
            raise NotFound(_("The folder does not exist."))
    if customer_access not in CustomerAccess.values:
        raise DomainError(
            _("Choose the customer's access."), code="invalid_access", extra={"field": "customer_access"}
        )
    folder = Folder(
        tenant_id=actor.tenant_id,
        partner_tenant_id=firm_id,
        parent=parent,
        name=_check_folder_name(name),
        customer_access=customer_access,
        all_customer_users=all_customer_users,
        created_by=actor.user,
    )
    folder.full_clean(exclude=["partner_tenant", "parent", "created_by"], validate_constraints=False)
    _save_unique(folder, _("A folder with that name already exists here."))
    _set_members(folder, None if all_customer_users else member_ids)
    record(
        actor=actor, action="document_folder.create", target=folder, data={"customer_access": customer_access}
    )
    return folder


@transaction.atomic
def folder_update(
    *,
    actor: Actor,
    folder: Folder,
    name: str | None = None,
    customer_access: str | None = None,
    all_customer_users: bool | None = None,
    member_ids: list[int] | None = None,
) -> Folder:
    """Rename a folder or change who of the customer may read or edit it. The level (read/edit) is
    the firm's decision; the customer's administrators decide which of their users have it."""
    _require_share(actor, folder.partner_tenant_id)
    folder = Folder.objects.select_for_update().get(pk=folder.pk)
    changes: dict = {}
    if name is not None and name != folder.name:
        folder.name = changes["name"] = _check_folder_name(name)
    if customer_access is not None and customer_access != folder.customer_access:
        if not actor.is_partner:
            raise Forbidden(_("The accounting firm decides whether the company may read or edit a folder."))
        if customer_access not in CustomerAccess.values:
            raise DomainError(
                _("Choose the customer's access."), code="invalid_access", extra={"field": "customer_access"}
            )
        folder.customer_access = changes["customer_access"] = customer_access
    if all_customer_users is not None:
        if all_customer_users != folder.all_customer_users:
            folder.all_customer_users = changes["all_customer_users"] = all_customer_users
        _set_members(folder, None if all_customer_users else member_ids)
        changes["members"] = sorted(member_ids or []) if not all_customer_users else []
    _save_unique(folder, _("A folder with that name already exists here."))
    record(actor=actor, action="document_folder.update", target=folder, data=changes)
    return folder


def _bin_folder(folder: Folder, actor: Actor, now) -> int:
    count = Document.objects.filter(folder=folder, deleted_at__isnull=True).update(
        deleted_at=now, deleted_by=actor.user
    )
    for child in Folder.objects.filter(parent=folder, deleted_at__isnull=True):
        count += _bin_folder(child, actor, now)
    folder.deleted_at = now
    folder.save(update_fields=["deleted_at"])
    return count


@transaction.atomic
def folder_delete(*, actor: Actor, folder: Folder) -> Folder:
    """Move a folder, its subfolders and their files to the bin (kept 30 days)."""
    _require_share(actor, folder.partner_tenant_id)
    _require_edit(actor, folder)
    count = _bin_folder(folder, actor, timezone.now())
    record(actor=actor, action="document_folder.delete", target=folder, data={"documents": count})
    return folder


@transaction.atomic
def folder_restore(*, actor: Actor, folder: Folder) -> Folder:
    """Take a folder and what was deleted with it back out of the bin."""
    _require_share(actor, folder.partner_tenant_id)
    folder = Folder.objects.select_for_update().get(pk=folder.pk)
    if folder.deleted_at is None:
        return folder
    when = folder.deleted_at
    stack = [folder]
    while stack:
        f = stack.pop()
        f.deleted_at = None
        _save_unique(f, _("A folder with that name already exists here."))
        Document.objects.filter(folder=f, deleted_at=when).update(deleted_at=None, deleted_by=None)
        stack += list(Folder.objects.filter(parent=f, deleted_at=when))
    record(actor=actor, action="document_folder.restore", target=folder)
    return folder


def _lock_storage(firm_id: int) -> StorageAccount:
    StorageAccount.objects.get_or_create(partner_tenant_id=firm_id)
    return StorageAccount.objects.select_for_update().get(partner_tenant_id=firm_id)


@transaction.atomic
def document_upload(*, actor: Actor, folder: Folder, upload, name: str | None = None) -> Document:
    """Store an uploaded file in `folder`: a new document, or a new version of the one of the same
    name. Refused when empty, larger than the limit, of a type not allowed, or past the firm's quota."""
    _require_edit(actor, folder)
    name = clean_name(name if name is not None else getattr(upload, "name", ""))
    head, sha256, size = read_head_and_hash(upload)
    if size == 0:
        raise DomainError(_("The file %(name)s is empty.") % {"name": name}, code="empty_file")
    if size > settings.DOCUMENTS_MAX_FILE_BYTES:
        raise DomainError(
            _("The file %(name)s is larger than %(limit)s.")
            % {"name": name, "limit": size_text(settings.DOCUMENTS_MAX_FILE_BYTES)},
            code="file_too_large",
            extra={"limit": settings.DOCUMENTS_MAX_FILE_BYTES},
        )
    content_type = sniff(head, name)
    storage = _lock_storage(folder.partner_tenant_id)  # one upload at a time per firm: the quota holds
    if storage.used_bytes + size > storage.quota:
        raise DomainError(
            _(
                "The accounting firm's storage is full: %(used)s of %(quota)s used. "
                "Delete files (and empty the bin) or ask for more space."
            )
            % {"used": size_text(storage.used_bytes), "quota": size_text(storage.quota)},
            code="quota_exceeded",
            extra={"used": storage.used_bytes, "quota": storage.quota},
        )
    now = timezone.now()
    document = (
        Document.objects.select_for_update()
        .filter(folder=folder, name__iexact=name, deleted_at__isnull=True)
        .first()
    )
    created = document is None
    if document is None:
        document = Document(
            tenant_id=actor.tenant_id,
            partner_tenant_id=folder.partner_tenant_id,
            folder=folder,
            name=name,
            created_by=actor.user,
        )
        _save_unique(document, _("A file with that name already exists in the folder."))
    version = DocumentVersion(
        tenant_id=actor.tenant_id,
        document=document,
        number=document.version_count + 1,
        size=size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=actor.user,
        uploaded_at=now,
    )
    # Written before the row: a transaction rolled back after this leaves an unreferenced file
    # (docs/documents.md), never a row without its file.
    version.file.save("upload", File(upload), save=False)
    try:
        version.save()
    except Exception:
        default_storage.delete(version.file.name or "")
        raise
    document.version_count = version.number
    document.size, document.content_type, document.updated_at = size, content_type, now
    document.partner_seen_at = now if actor.is_partner else None
    document.save()
    storage.used_bytes += size
    storage.save(update_fields=["used_bytes"])
    record(
        actor=actor,
        action="document.upload" if created else "document.version",
        target=document,
        data={"version": version.number, "size": size, "content_type": content_type, "folder": folder.name},
    )
    _notify(actor, document, version)
    return document


def _notify(actor: Actor, document: Document, version: DocumentVersion) -> None:
    recipients = selectors.recipients_for_upload(
        document.folder, uploaded_by_partner=actor.is_partner, exclude_user_id=actor.user.pk
    )
    path = reverse("web:documents_document", args=[actor.tenant.slug, document.pk])
    for user in recipients:
        mail_send_template(
            tenant_id=actor.tenant_id,
            to=user.email,
            template="documents/email/uploaded",
            context={
                "document": document,
                "version": version,
                "folder": document.folder,
                "company": actor.tenant,
                "by": actor.user.name or actor.user.email,
                "link": settings.SITE_URL + path,
            },
            kind=MAIL_KIND,
        )


def document_mark_seen(*, actor: Actor, document: Document) -> None:
    """Note that the firm has seen the current version (clears the "new documents" badge). Not audited:
    it records a view, like a read receipt, and changes nothing the customer sees."""
    if actor.is_partner and document.partner_seen_at is None:
        Document.objects.filter(pk=document.pk).update(partner_seen_at=timezone.now())


@transaction.atomic
def document_rename(*, actor: Actor, document: Document, name: str) -> Document:
    """Rename a file (a name free in its folder, without path parts or control characters)."""
    _require_edit(actor, document.folder)
    old = document.name
    document.name = clean_name(name)
    if document.name == old:
        return document
    if (
        Document.objects.filter(folder=document.folder, name__iexact=document.name, deleted_at__isnull=True)
        .exclude(pk=document.pk)
        .exists()
    ):
        raise Conflict(
            _("A file with that name already exists in the folder."),
            code="duplicate_name",
            extra={"field": "name"},
        )
    _save_unique(document, _("A file with that name already exists in the folder."))
    record(actor=actor, action="document.rename", target=document, data={"from": old, "to": document.name})
    return document


@transaction.atomic
def document_move(*, actor: Actor, document: Document, folder: Folder) -> Document:
    """Move a file to another folder of the same collaboration; the actor must edit both."""
    _require_edit(actor, document.folder)
    _require_edit(actor, folder)
    if folder.partner_tenant_id != document.partner_tenant_id:
        raise NotFound(_("The folder does not exist."))
    if Document.objects.filter(folder=folder, name__iexact=document.name, deleted_at__isnull=True).exists():
        raise Conflict(_("A file with that name already exists in the folder."), code="duplicate_name")
    old = document.folder
    document.folder = folder
    _save_unique(document, _("A file with that name already exists in the folder."))
    record(actor=actor, action="document.move", target=document, data={"from": old.name, "to": folder.name})
    return document


@transaction.atomic
def document_delete(*, actor: Actor, document: Document) -> Document:
    """Move a file to the bin; it is deleted for good after 30 days."""
    _require_edit(actor, document.folder)
    document.deleted_at = timezone.now()
    document.deleted_by = actor.user
    document.save(update_fields=["deleted_at", "deleted_by"])
    record(actor=actor, action="document.delete", target=document, data={"folder": document.folder.name})
    return document


@transaction.atomic
def document_restore(*, actor: Actor, document: Document) -> Document:
    """Take a file back out of the bin, into its folder (refused if the name is taken meanwhile)."""
    _require_edit(actor, document.folder)
    if Document.objects.filter(
        folder=document.folder, name__iexact=document.name, deleted_at__isnull=True
    ).exists():
        raise Conflict(_("A file with that name already exists in the folder."), code="duplicate_name")
    document.deleted_at = None
    document.deleted_by = None
    _save_unique(document, _("A file with that name already exists in the folder."))
    record(actor=actor, action="document.restore", target=document)
    return document


@transaction.atomic
def notification_update(*, actor: Actor, firm_id: int, on_new_document: bool) -> NotificationSetting:
    """Turn e-mail about new documents of a collaboration on or off, for oneself."""
    if not selectors.may_use(actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))
    setting, _created = NotificationSetting.objects.get_or_create(
        tenant_id=actor.tenant_id, partner_tenant_id=firm_id, user=actor.user
    )
    setting.on_new_document = on_new_document
    setting.save(update_fields=["on_new_document"])
    return setting


def bin_purge(*, older_than) -> int:
    """Delete for good what lies in the bin since before `older_than` (in the tenant scope): the rows,
    then the files after commit, and give the space back to the firm's quota."""
    removed = 0
    with transaction.atomic():
        documents = list(Document.objects.filter(deleted_at__lt=older_than))
        folders = list(Folder.objects.filter(deleted_at__lt=older_than))
        versions = list(DocumentVersion.objects.filter(document__in=documents).select_related("document"))
        freed: dict[int, int] = {}
        for v in versions:
            freed[v.document.partner_tenant_id] = freed.get(v.document.partner_tenant_id, 0) + v.size
        for firm_id, size in freed.items():
            storage = _lock_storage(firm_id)
            storage.used_bytes = max(storage.used_bytes - size, 0)
            storage.save(update_fields=["used_bytes"])
        names = [v.file.name for v in versions if v.file.name]
        Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
        # a folder goes when nothing of it is left outside the bin
        for folder in folders:
            if (
                not Document.objects.filter(folder=folder).exists()
                and not Folder.objects.filter(parent=folder).exists()
            ):
                folder.delete()
        removed = len(documents)
        transaction.on_commit(lambda: _delete_files(names))
    return removed


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)

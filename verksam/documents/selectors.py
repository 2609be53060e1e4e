"""Reads of a collaboration's documents, within the folder permissions (issue 11 item 4).

Who may do what in a folder (`folder_access`):
- a person of the collaboration's firm with DOCUMENTS_SHARE (a FULL partner): edit, every folder;
- the customer's administrators (TOTAL, DOCUMENTS_SHARE): the folder's customer access, in every
  folder the firm shares with the customer (they manage which users have it);
- any other customer user: the folder's customer access if the folder is for every user or lists them;
- and a folder is only as open as the folders above it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from verksam.tenancy.access import Actor
from verksam.tenancy.models import PartnerGrant, PartnerLevel
from verksam.tenancy.permissions import Perm

from .models import (
    CustomerAccess,
    Document,
    DocumentVersion,
    Folder,
    FolderMember,
    NotificationSetting,
    StorageAccount,
)

NONE, READ, EDIT = "none", "read", "edit"
_RANK = {NONE: 0, READ: 1, EDIT: 2}


def collaboration_exists(firm_id: int) -> bool:
    """Whether the firm `firm_id` works with the tenant in scope (an active grant)."""
    return PartnerGrant.objects.filter(partner_tenant_id=firm_id, revoked_at__isnull=True).exists()


def may_use(actor: Actor, firm_id: int) -> bool:
    """Whether `actor` sees the documents of the collaboration with `firm_id` at all."""
    if actor.is_partner:
        return actor.partner_tenant_id == firm_id and actor.has(Perm.DOCUMENTS_SHARE)
    return actor.membership is not None and collaboration_exists(firm_id)


@dataclass
class FolderNode:
    folder: Folder
    depth: int
    access: str


def _own_access(actor: Actor, folder: Folder, listed: set[int]) -> str:
    if actor.is_partner:
        ok = actor.has(Perm.DOCUMENTS_SHARE) and folder.partner_tenant_id == actor.partner_tenant_id
        return EDIT if ok else NONE
    if actor.membership is None or folder.customer_access == CustomerAccess.NONE:
        return NONE
    if actor.has(Perm.DOCUMENTS_SHARE) or folder.all_customer_users or folder.pk in listed:
        return folder.customer_access
    return NONE


def _listed_folders(actor: Actor, folder_ids) -> set[int]:
    if actor.is_partner or actor.membership is None:
        return set()
    return set(
        FolderMember.objects.filter(membership=actor.membership, folder_id__in=folder_ids).values_list(
            "folder_id", flat=True
        )
    )


def folder_tree(actor: Actor, firm_id: int, *, deleted: bool = False) -> list[FolderNode]:
    """The collaboration's folders `actor` may see, depth-first by name: two queries in all."""
    folders = list(
        Folder.objects.filter(partner_tenant_id=firm_id, deleted_at__isnull=not deleted).order_by("name")
    )
    listed = _listed_folders(actor, [f.pk for f in folders])
    children: dict[int | None, list[Folder]] = {}
    for f in folders:
        children.setdefault(f.parent_id, []).append(f)
    out: list[FolderNode] = []

    def walk(parent_id: int | None, depth: int, ceiling: str) -> None:
        for f in children.get(parent_id, []):
            access = min(_own_access(actor, f, listed), ceiling, key=_RANK.__getitem__)
            if access == NONE:
                continue
            out.append(FolderNode(folder=f, depth=depth, access=access))
            walk(f.pk, depth + 1, access)

    walk(None, 0, EDIT)
    return out


def folder_access(actor: Actor, folder: Folder) -> str:
    """NONE, READ or EDIT for `actor` in `folder` (its ancestors included)."""
    if folder.deleted_at is not None:
        return NONE
    node = next((n for n in folder_tree(actor, folder.partner_tenant_id) if n.folder.pk == folder.pk), None)
    return node.access if node else NONE


def folder_get(actor: Actor, folder_id: int) -> tuple[Folder, str] | None:
    """The folder and `actor`'s access, or None when it does not exist for them (404)."""
    folder = Folder.objects.filter(pk=folder_id, deleted_at__isnull=True).first()
    if folder is None:
        return None
    access = folder_access(actor, folder)
    return None if access == NONE else (folder, access)


def folder_member_ids(folder: Folder) -> list[int]:
    return list(FolderMember.objects.filter(folder=folder).values_list("membership_id", flat=True))


def document_list(folder: Folder) -> QuerySet[Document]:
    return Document.objects.filter(folder=folder, deleted_at__isnull=True).select_related("created_by")


def document_get(actor: Actor, document_id: int) -> tuple[Document, str] | None:
    """The document and `actor`'s access through its folder, or None (404)."""
    document = Document.objects.select_related("folder").filter(pk=document_id).first()
    if document is None or document.deleted_at is not None:
        return None
    access = folder_access(actor, document.folder)
    return None if access == NONE else (document, access)


def document_get_in_bin(actor: Actor, document_id: int) -> Document | None:
    """A deleted document `actor` may restore: the firm's people, or who could edit its folder."""
    document = (
        Document.objects.select_related("folder").filter(pk=document_id, deleted_at__isnull=False).first()
    )
    if document is None:
        return None
    folder = document.folder
    if folder.deleted_at is not None:
        return None  # restore the folder first
    return document if folder_access(actor, folder) == EDIT else None


def version_list(document: Document) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.filter(document=document).select_related("uploaded_by").order_by("-number")


def version_get(document: Document, number: int | None) -> DocumentVersion | None:
    qs = version_list(document)
    return qs.filter(number=number).first() if number else qs.first()


def bin_list(actor: Actor, firm_id: int) -> list[Document]:
    """Deleted documents in folders `actor` may edit (the bin keeps them 30 days)."""
    editable = {n.folder.pk for n in folder_tree(actor, firm_id) if n.access == EDIT}
    return list(
        Document.objects.filter(partner_tenant_id=firm_id, deleted_at__isnull=False, folder_id__in=editable)
        .select_related("folder", "deleted_by")
        .order_by("-deleted_at")
    )


def storage_get(firm_id: int) -> StorageAccount:
    """The firm's storage use and quota (unsaved zero row when nothing was uploaded yet)."""
    return StorageAccount.objects.filter(partner_tenant_id=firm_id).first() or StorageAccount(
        partner_tenant_id=firm_id
    )


def notification_setting(actor: Actor, firm_id: int) -> NotificationSetting:
    return NotificationSetting.objects.filter(partner_tenant_id=firm_id, user=actor.user).first() or (
        NotificationSetting(tenant_id=actor.tenant_id, partner_tenant_id=firm_id, user=actor.user)
    )


def recipients_for_upload(folder: Folder, *, uploaded_by_partner: bool, exclude_user_id: int) -> list:
    """Who is told by e-mail of a new document: the customer's users who may read the folder when the
    firm uploaded, the firm's FULL people when the customer did; minus those who turned it off."""
    from verksam.tenancy.models import Membership

    if uploaded_by_partner:
        if folder.customer_access == CustomerAccess.NONE:
            return []
        members = Membership.objects.filter(is_active=True).select_related("user")
        if not folder.all_customer_users:
            listed = FolderMember.objects.filter(folder=folder).values("membership_id")
            members = members.filter(pk__in=listed) | members.filter(licence="TOTAL")
        users = [m.user for m in members]
    else:
        grants = PartnerGrant.objects.filter(
            partner_tenant_id=folder.partner_tenant_id, revoked_at__isnull=True, level=PartnerLevel.FULL
        ).select_related("user")
        users = [g.user for g in grants]
    off = set(
        NotificationSetting.objects.filter(
            partner_tenant_id=folder.partner_tenant_id, on_new_document=False
        ).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk != exclude_user_id and u.pk not in off and u.is_active]


def documents_in_folders(folder_ids: list[int]) -> QuerySet[Document]:
    """The files (not in the bin) of the given folders, by folder and name: for a folder's zip."""
    return Document.objects.filter(folder_id__in=folder_ids, deleted_at__isnull=True).order_by(
        "folder_id", "name"
    )


def folder_bin_list(actor: Actor, firm_id: int) -> list[Folder]:
    """Deleted folders (the top of each deletion) the firm may restore."""
    if not (actor.is_partner and may_use(actor, firm_id)) and not actor.has(Perm.DOCUMENTS_SHARE):
        return []
    deleted = list(
        Folder.objects.filter(partner_tenant_id=firm_id, deleted_at__isnull=False).order_by("-deleted_at")
    )
    times = {f.pk: f.deleted_at for f in deleted}
    return [f for f in deleted if times.get(f.parent_id) != f.deleted_at]


def folder_get_in_bin(actor: Actor, folder_id: int) -> Folder | None:
    folder = Folder.objects.filter(pk=folder_id, deleted_at__isnull=False).first()
    if folder is None or not may_use(actor, folder.partner_tenant_id) or not actor.has(Perm.DOCUMENTS_SHARE):
        return None
    return folder


ZIP_SPOOL_BYTES = 8 * 1024 * 1024  # a folder's zip is built in memory up to this, then on disk


def folder_zip(actor: Actor, folder: Folder):
    """The folder and the subfolders `actor` may see as one zip file, built in bounded memory (each
    file copied in 1 MB chunks into a temporary file that spills to disk). The caller closes it."""
    import tempfile
    import zipfile

    from django.core.files.storage import default_storage

    paths: dict[int, str] = {}
    for node in folder_tree(actor, folder.partner_tenant_id):
        parent = paths.get(node.folder.parent_id) if node.folder.parent_id else None
        if node.folder.pk == folder.pk:
            paths[node.folder.pk] = folder.name
        elif parent is not None:
            paths[node.folder.pk] = f"{parent}/{node.folder.name}"
    documents = list(documents_in_folders(list(paths)))
    latest = {
        v.document_id: v
        for v in DocumentVersion.objects.filter(document__in=documents).order_by("document_id", "number")
    }
    spool = tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            version = latest.get(document.pk)
            if version is None:
                continue
            arcname = f"{paths[document.folder_id]}/{document.name}"
            with (
                default_storage.open(version.file.name, "rb") as source,
                archive.open(arcname, "w", force_zip64=True) as target,
            ):
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
    spool.seek(0)
    return spool

"""Documents of a collaboration (issue 11 item 4): the same services and permission checks as the
pages. Folder and file ids the caller may not see answer 404 like missing ones (rule 8)."""

from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.documents import selectors, services
from verksam.partners.selectors import collaboration_firm_ids
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import tenant_get

from ..schemas.documents import (
    DocumentCollaborationOut,
    DocumentDetailOut,
    DocumentOut,
    DocumentPatch,
    FolderIn,
    FolderOut,
    FolderPatch,
    NotificationIn,
    NotificationOut,
    StorageOut,
    UploadOut,
)
from ..tenant import tenant_endpoint
from ..types import Id, QueryIn

router = Router(tags=["documents"])
C = "/tenants/{tenant_id}/document-collaborations/{firm_id}"


def _collaboration(request, firm_id: int) -> None:
    if not selectors.may_use(request.actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))


def _folder(request, folder_id: int):
    found = selectors.folder_get(request.actor, folder_id)
    if found is None:
        raise NotFound(_("The folder does not exist."))
    return found


def _document(request, document_id: int):
    found = selectors.document_get(request.actor, document_id)
    if found is None:
        raise NotFound(_("The file does not exist."))
    return found


def _folder_out(node) -> dict:
    f = node.folder
    return {
        "id": f.pk,
        "name": f.name,
        "parent_id": f.parent_id,
        "depth": node.depth,
        "customer_access": f.customer_access,
        "all_customer_users": f.all_customer_users,
        "access": node.access,
    }


@router.get("/tenants/{tenant_id}/document-collaborations", response=list[DocumentCollaborationOut])
@tenant_endpoint()
def collaboration_list(request, tenant_id: Id):
    """The accounting firms this company shares documents with (a partner: their own firm)."""
    actor = request.actor
    if actor.is_partner:
        ids = [actor.partner_tenant_id] if actor.has(Perm.DOCUMENTS_SHARE) and actor.partner_tenant_id else []
    else:
        ids = collaboration_firm_ids(actor.tenant_id)
    firms = [tenant_get(pk) for pk in ids]
    return [{"firm_id": f.pk, "name": f.name} for f in firms if f is not None]


@router.get(C + "/folders", response=list[FolderOut], summary="The folder tree I may see")
@tenant_endpoint()
def folder_list(request, tenant_id: Id, firm_id: Id):
    _collaboration(request, firm_id)
    return [_folder_out(n) for n in selectors.folder_tree(request.actor, firm_id)]


@router.post(C + "/folders", response={201: FolderOut}, summary="Create a folder")
@tenant_endpoint()
def folder_create(request, tenant_id: Id, firm_id: Id, payload: FolderIn):
    _collaboration(request, firm_id)
    parent = _folder(request, payload.parent_id)[0] if payload.parent_id else None
    folder = services.folder_create(
        actor=request.actor,
        firm_id=firm_id,
        name=payload.name,
        parent=parent,
        customer_access=payload.customer_access,
        all_customer_users=payload.all_customer_users,
        member_ids=payload.member_ids,
    )
    node = next(n for n in selectors.folder_tree(request.actor, firm_id) if n.folder.pk == folder.pk)
    return Status(201, _folder_out(node))


@router.patch("/tenants/{tenant_id}/document-folders/{folder_id}", response=FolderOut)
@tenant_endpoint()
def folder_update(request, tenant_id: Id, folder_id: Id, payload: FolderPatch):
    folder, _access = _folder(request, folder_id)
    services.folder_update(
        actor=request.actor,
        folder=folder,
        name=payload.name,
        customer_access=payload.customer_access,
        all_customer_users=payload.all_customer_users,
        member_ids=payload.member_ids,
    )
    node = next(
        n for n in selectors.folder_tree(request.actor, folder.partner_tenant_id) if n.folder.pk == folder.pk
    )
    return _folder_out(node)


@router.delete("/tenants/{tenant_id}/document-folders/{folder_id}", response={204: None})
@tenant_endpoint()
def folder_delete(request, tenant_id: Id, folder_id: Id):
    """Move the folder, its subfolders and files to the bin (30 days)."""
    folder, access = _folder(request, folder_id)
    services.folder_delete(actor=request.actor, folder=folder)
    return Status(204, None)


@router.post("/tenants/{tenant_id}/document-folders/{folder_id}/restore", response=FolderOut)
@tenant_endpoint()
def folder_restore(request, tenant_id: Id, folder_id: Id):
    folder = selectors.folder_get_in_bin(request.actor, folder_id)
    if folder is None:
        raise NotFound(_("The folder does not exist."))
    services.folder_restore(actor=request.actor, folder=folder)
    node = next(
        n for n in selectors.folder_tree(request.actor, folder.partner_tenant_id) if n.folder.pk == folder.pk
    )
    return _folder_out(node)


@router.get("/tenants/{tenant_id}/document-folders/{folder_id}/documents", response=list[DocumentOut])
@tenant_endpoint()
def document_list(request, tenant_id: Id, folder_id: Id):
    folder, _access = _folder(request, folder_id)
    return list(selectors.document_list(folder))


@router.post(
    "/tenants/{tenant_id}/document-folders/{folder_id}/documents",
    response={200: UploadOut},
    summary="Upload files (multipart `files`); a same-name file becomes a new version",
    description="Each file is stored or refused on its own: `uploaded` and `errors` list them. When "
    "every file is refused the answer is the first refusal as an error (`extra.errors` lists all).",
)
@tenant_endpoint()
def document_upload(request, tenant_id: Id, folder_id: Id, files: File[list[UploadedFile]]):
    folder, _access = _folder(request, folder_id)
    done, errors = [], []
    first: DomainError | None = None
    for f in files:
        try:
            with transaction.atomic():
                done.append(services.document_upload(actor=request.actor, folder=folder, upload=f))
        except Forbidden:
            raise
        except DomainError as exc:
            first = first or exc
            errors.append({"name": f.name or "", "code": exc.code, "message": exc.message})
    if first is not None and not done:
        first.extra = {**first.extra, "errors": errors}
        raise first
    return {"uploaded": done, "errors": errors}


def _file_response(version, name: str) -> FileResponse:
    from django.core.files.storage import default_storage

    response = FileResponse(
        default_storage.open(version.file.name, "rb"),
        as_attachment=True,
        filename=name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class VersionQuery(QueryIn):
    version: int | None = None


@router.get("/tenants/{tenant_id}/documents/{document_id}", response=DocumentDetailOut)
@tenant_endpoint()
def document_get(request, tenant_id: Id, document_id: Id):
    document, _access = _document(request, document_id)
    return document


@router.get(
    "/tenants/{tenant_id}/document-folders/{folder_id}/zip",
    response={200: None},
    summary="The folder with the subfolders I may see, as a zip file",
)
@tenant_endpoint()
def folder_zip(request, tenant_id: Id, folder_id: Id):
    folder, _access = _folder(request, folder_id)
    response = FileResponse(
        selectors.folder_zip(request.actor, folder),
        as_attachment=True,
        filename=f"{folder.name}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/tenants/{tenant_id}/documents/{document_id}/download",
    response={200: None},
    summary="The file (current version, or ?version=n), as an attachment",
)
@tenant_endpoint()
def document_download(request, tenant_id: Id, document_id: Id, q: Query[VersionQuery]):
    document, _access = _document(request, document_id)
    version = selectors.version_get(document, q.version)
    if version is None:
        raise NotFound(_("The file does not exist."))
    services.document_mark_seen(actor=request.actor, document=document)
    return _file_response(version, document.name)


@router.patch("/tenants/{tenant_id}/documents/{document_id}", response=DocumentOut)
@tenant_endpoint()
def document_update(request, tenant_id: Id, document_id: Id, payload: DocumentPatch):
    """Rename and/or move a file."""
    document, _access = _document(request, document_id)
    if payload.folder_id is not None and payload.folder_id != document.folder_id:
        target = _folder(request, payload.folder_id)[0]
        document = services.document_move(actor=request.actor, document=document, folder=target)
    if payload.name is not None:
        document = services.document_rename(actor=request.actor, document=document, name=payload.name)
    return document


@router.delete("/tenants/{tenant_id}/documents/{document_id}", response={204: None})
@tenant_endpoint()
def document_delete(request, tenant_id: Id, document_id: Id):
    """Move a file to the bin (30 days)."""
    document, _access = _document(request, document_id)
    services.document_delete(actor=request.actor, document=document)
    return Status(204, None)


@router.post("/tenants/{tenant_id}/documents/{document_id}/restore", response=DocumentOut)
@tenant_endpoint()
def document_restore(request, tenant_id: Id, document_id: Id):
    document = selectors.document_get_in_bin(request.actor, document_id)
    if document is None:
        raise NotFound(_("The file does not exist."))
    return services.document_restore(actor=request.actor, document=document)


@router.get(C + "/bin", response=list[DocumentOut], summary="Deleted files I may restore (kept 30 days)")
@tenant_endpoint()
def bin_list(request, tenant_id: Id, firm_id: Id):
    _collaboration(request, firm_id)
    return selectors.bin_list(request.actor, firm_id)


@router.get(C + "/storage", response=StorageOut, summary="The firm's storage use and quota")
@tenant_endpoint()
def storage_get(request, tenant_id: Id, firm_id: Id):
    _collaboration(request, firm_id)
    storage = selectors.storage_get(firm_id)
    return {"used_bytes": storage.used_bytes, "quota_bytes": storage.quota}


@router.get(C + "/notifications", response=NotificationOut, summary="My e-mail notifications")
@tenant_endpoint()
def notification_get(request, tenant_id: Id, firm_id: Id):
    _collaboration(request, firm_id)
    return selectors.notification_setting(request.actor, firm_id)


@router.put(C + "/notifications", response=NotificationOut)
@tenant_endpoint()
def notification_put(request, tenant_id: Id, firm_id: Id, payload: NotificationIn):
    _collaboration(request, firm_id)
    return services.notification_update(
        actor=request.actor, firm_id=firm_id, on_new_document=payload.on_new_document
    )

"""Dokument: the folder tree of a collaboration, upload (many files, drag and drop, progress),
download (a folder as a zip), rename, move, delete with confirmation and a 30-day bin, versions.

Every page resolves what it shows through `verksam.documents.selectors`, which apply the folder
permissions: a folder or file the person may not see answers 404 exactly like a missing one (rule 8).
Files are streamed from the storage only through these views (rule 17)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.core.uploads import size_text
from verksam.documents import selectors, services
from verksam.documents.models import Folder
from verksam.partners.selectors import collaboration_firm_ids
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import membership_list, tenant_get
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error
from verksam.web.portal.views import portal_frame

from .forms import FolderForm, MoveForm, NotificationForm, RenameForm


def _frame(request: TenantRequest, firm_id: int) -> dict:
    """The page around the documents: the portal's customer frame for the firm, the company's own
    layout for its users."""
    actor = request.actor
    if actor.is_partner:
        return {
            "frame": "web/documents/frame_portal.html",
            **portal_frame(actor, "documents"),
            "firm_id": firm_id,
        }
    return {"frame": "web/documents/frame_own.html", "firm": tenant_get(firm_id), "firm_id": firm_id}


def _require_collaboration(request: TenantRequest, firm_id: int) -> None:
    if not selectors.may_use(request.actor, firm_id):
        raise Http404


def _folder(request: TenantRequest, folder_id: int) -> tuple[Folder, str]:
    found = selectors.folder_get(request.actor, folder_id)
    if found is None:
        raise Http404
    return found


def _document(request: TenantRequest, document_id: int):
    found = selectors.document_get(request.actor, document_id)
    if found is None:
        raise Http404
    return found


@tenant_view()
def documents_home(request: TenantRequest, slug: str) -> HttpResponse:
    """The company's collaborations with a document tree (straight into it when there is one)."""
    actor = request.actor
    if actor.is_partner:
        if not actor.has(Perm.DOCUMENTS_SHARE) or actor.partner_tenant_id is None:
            raise Http404
        return redirect("web:documents_browse", slug, actor.partner_tenant_id)
    firm_ids = collaboration_firm_ids(actor.tenant_id)
    if len(firm_ids) == 1:
        return redirect("web:documents_browse", slug, firm_ids[0])
    firms = [tenant_get(pk) for pk in firm_ids]
    return render(request, "web/documents/home.html", {"firms": firms})


@tenant_view()
def browse(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require_collaboration(request, firm_id)
    actor = request.actor
    tree = selectors.folder_tree(actor, firm_id)
    current = None
    folder_param = request.GET.get("folder", "")
    if folder_param:
        wanted = bounds.parse_id(folder_param)
        current = next((n for n in tree if n.folder.pk == wanted), None)
        if current is None:
            raise Http404
    elif tree:
        current = tree[0]
    documents = list(selectors.document_list(current.folder)) if current else []
    storage = selectors.storage_get(firm_id)
    context = {
        **_frame(request, firm_id),
        "tree": tree,
        "node": current,
        "documents": documents,
        "may_share": actor.has(Perm.DOCUMENTS_SHARE),
        "may_edit": current is not None and current.access == selectors.EDIT,
        "storage": storage,
        "used_text": size_text(storage.used_bytes),
        "quota_text": size_text(storage.quota),
        "used_percent": min(100, round(100 * storage.used_bytes / storage.quota)) if storage.quota else 0,
    }
    return render(request, "web/documents/browse.html", context)


def _folder_form_context(request: TenantRequest, form, firm_id: int, **extra) -> dict:
    return {**_frame(request, firm_id), "form": form, **extra}


@tenant_view()
def folder_create(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require_collaboration(request, firm_id)
    actor = request.actor
    if not actor.has(Perm.DOCUMENTS_SHARE):
        raise PermissionDenied
    parent = None
    parent_param = request.POST.get("parent") or request.GET.get("parent") or ""
    if parent_param:
        parent_id = bounds.parse_id(parent_param)
        if parent_id is None:
            raise Http404
        parent, _access = _folder(request, parent_id)
    members = list(membership_list(active_only=True))
    form = FolderForm(
        request.POST or None,
        members=members,
        partner=actor.is_partner,
        initial={"customer_access": "read", "all_customer_users": True},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                folder = services.folder_create(
                    actor=actor,
                    firm_id=firm_id,
                    parent=parent,
                    name=form.cleaned_data["name"],
                    customer_access=form.cleaned_data["customer_access"] or "read",
                    all_customer_users=form.cleaned_data["all_customer_users"],
                    member_ids=[int(pk) for pk in form.cleaned_data["members"]],
                )
            except DomainError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("The folder %(name)s has been created.") % {"name": folder.name})
                return redirect(
                    reverse("web:documents_browse", args=[slug, firm_id]) + f"?folder={folder.pk}"
                )
    context = _folder_form_context(request, form, firm_id, parent=parent)
    return render(request, "web/documents/folder_form.html", context, status=status)


@tenant_view()
def folder_edit(request: TenantRequest, slug: str, folder_id: int) -> HttpResponse:
    folder, _access = _folder(request, folder_id)
    actor = request.actor
    if not actor.has(Perm.DOCUMENTS_SHARE):
        raise PermissionDenied
    members = list(membership_list(active_only=True))
    initial = {
        "name": folder.name,
        "customer_access": folder.customer_access,
        "all_customer_users": folder.all_customer_users,
        "members": [str(pk) for pk in selectors.folder_member_ids(folder)],
    }
    form = FolderForm(request.POST or None, members=members, partner=actor.is_partner, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.folder_update(
                    actor=actor,
                    folder=folder,
                    name=form.cleaned_data["name"],
                    customer_access=form.cleaned_data["customer_access"] if actor.is_partner else None,
                    all_customer_users=form.cleaned_data["all_customer_users"],
                    member_ids=[int(pk) for pk in form.cleaned_data["members"]],
                )
            except DomainError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("The folder has been saved."))
                return redirect(
                    reverse("web:documents_browse", args=[slug, folder.partner_tenant_id])
                    + f"?folder={folder.pk}"
                )
    context = _folder_form_context(request, form, folder.partner_tenant_id, folder=folder)
    return render(request, "web/documents/folder_form.html", context, status=status)


@tenant_view()
def folder_delete(request: TenantRequest, slug: str, folder_id: int) -> HttpResponse:
    """GET asks for confirmation; POST moves the folder and its contents to the bin."""
    folder, access = _folder(request, folder_id)
    if not request.actor.has(Perm.DOCUMENTS_SHARE) or access != selectors.EDIT:
        raise PermissionDenied
    if request.method == "POST":
        services.folder_delete(actor=request.actor, folder=folder)
        messages.success(
            request, _("The folder has been moved to the bin. It is deleted for good after 30 days.")
        )
        return redirect("web:documents_browse", slug, folder.partner_tenant_id)
    context = {**_frame(request, folder.partner_tenant_id), "target": folder, "is_folder": True}
    return render(request, "web/documents/confirm_delete.html", context)


@tenant_view()
@require_POST
def folder_restore(request: TenantRequest, slug: str, folder_id: int) -> HttpResponse:
    folder = selectors.folder_get_in_bin(request.actor, folder_id)
    if folder is None:
        raise Http404
    try:
        services.folder_restore(actor=request.actor, folder=folder)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The folder has been restored."))
    return redirect("web:documents_bin", slug, folder.partner_tenant_id)


@tenant_view()
@require_POST
def upload(request: TenantRequest, slug: str, folder_id: int) -> HttpResponse:
    """Many files at once; each is stored (or refused) on its own, so one bad file loses no other."""
    folder, _access = _folder(request, folder_id)
    # A request larger than any upload may be (a 2 GB file) is refused before its body is read, so
    # nothing is spooled to disk; the browser sends one file per request, a form without JavaScript
    # several (DOCUMENTS_MAX_REQUEST_BYTES).
    length = request.META.get("CONTENT_LENGTH") or "0"
    size = bounds.parse_size(length)
    if size is None or size > settings.DOCUMENTS_MAX_REQUEST_BYTES:
        message = _("The upload is larger than %(limit)s.") % {
            "limit": size_text(settings.DOCUMENTS_MAX_REQUEST_BYTES)
        }
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse(
                {"uploaded": [], "errors": [{"name": "", "code": "too_large", "message": message}]},
                status=413,
            )
        messages.error(request, message)
        return redirect(
            reverse("web:documents_browse", args=[slug, folder.partner_tenant_id]) + f"?folder={folder.pk}"
        )
    files = request.FILES.getlist("files")
    done: list[dict] = []
    errors: list[dict[str, str]] = []
    if not files:
        errors.append({"name": "", "message": _("Choose one or more files.")})
    for f in files:
        try:
            with transaction.atomic():
                document = services.document_upload(actor=request.actor, folder=folder, upload=f)
        except DomainError as exc:
            errors.append({"name": f.name or "", "code": exc.code, "message": exc.message})
        else:
            done.append({"name": document.name, "version": document.version_count, "id": document.pk})
    status = 422 if errors else 200
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"uploaded": done, "errors": errors}, status=status)
    for item in done:
        messages.success(request, _("%(name)s has been uploaded.") % {"name": item["name"]})
    for item in errors:
        messages.error(request, f"{item['name']}: {item['message']}" if item["name"] else item["message"])
    return redirect(
        reverse("web:documents_browse", args=[slug, folder.partner_tenant_id]) + f"?folder={folder.pk}"
    )


@tenant_view()
def document_detail(request: TenantRequest, slug: str, document_id: int) -> HttpResponse:
    document, access = _document(request, document_id)
    tree = selectors.folder_tree(request.actor, document.partner_tenant_id)
    editable = [n for n in tree if n.access == selectors.EDIT]
    context = {
        **_frame(request, document.partner_tenant_id),
        "document": document,
        "versions": list(selectors.version_list(document)),
        "may_edit": access == selectors.EDIT,
        "rename_form": RenameForm(initial={"name": document.name}),
        "move_form": MoveForm(folders=editable, initial={"folder": document.folder_id}),
    }
    return render(request, "web/documents/document.html", context)


def _stream(version, filename: str) -> FileResponse:
    response = FileResponse(
        default_storage.open(version.file.name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@tenant_view()
def download(request: TenantRequest, slug: str, document_id: int) -> HttpResponseBase:
    """The file (its current or an earlier version), checked again on every request: an old link of
    a person whose access was revoked answers 404."""
    document, _access = _document(request, document_id)
    number = request.GET.get("version", "")
    if number and bounds.parse_id(number) is None:
        raise Http404
    version = selectors.version_get(document, bounds.parse_id(number))
    if version is None:
        raise Http404
    services.document_mark_seen(actor=request.actor, document=document)
    return _stream(version, document.name)


@tenant_view()
def folder_zip(request: TenantRequest, slug: str, folder_id: int) -> HttpResponseBase:
    """The folder and the subfolders the person may see, as one zip file, built in bounded memory."""
    folder, _access = _folder(request, folder_id)
    spool = selectors.folder_zip(request.actor, folder)
    response = FileResponse(
        spool, as_attachment=True, filename=f"{folder.name}.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _back_to(document) -> str:
    return reverse("web:documents_document", args=[document.tenant.slug, document.pk])


@tenant_view()
@require_POST
def rename(request: TenantRequest, slug: str, document_id: int) -> HttpResponse:
    document, _access = _document(request, document_id)
    form = RenameForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Enter a file name."))
        services.document_rename(actor=request.actor, document=document, name=form.cleaned_data["name"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file has been renamed."))
    return redirect("web:documents_document", slug, document.pk)


@tenant_view()
@require_POST
def move(request: TenantRequest, slug: str, document_id: int) -> HttpResponse:
    document, _access = _document(request, document_id)
    target = request.POST.get("folder", "")
    target_id = bounds.parse_id(target)
    found = selectors.folder_get(request.actor, target_id) if target_id else None
    if found is None:
        raise Http404
    try:
        services.document_move(actor=request.actor, document=document, folder=found[0])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file has been moved to %(folder)s.") % {"folder": found[0].name})
    return redirect("web:documents_document", slug, document.pk)


@tenant_view()
def delete(request: TenantRequest, slug: str, document_id: int) -> HttpResponse:
    """GET asks for confirmation; POST moves the file to the bin."""
    document, access = _document(request, document_id)
    if access != selectors.EDIT:
        raise PermissionDenied
    if request.method == "POST":
        services.document_delete(actor=request.actor, document=document)
        messages.success(
            request, _("The file has been moved to the bin. It is deleted for good after 30 days.")
        )
        return redirect(
            reverse("web:documents_browse", args=[slug, document.partner_tenant_id])
            + f"?folder={document.folder_id}"
        )
    context = {**_frame(request, document.partner_tenant_id), "target": document, "is_folder": False}
    return render(request, "web/documents/confirm_delete.html", context)


@tenant_view()
@require_POST
def restore(request: TenantRequest, slug: str, document_id: int) -> HttpResponse:
    document = selectors.document_get_in_bin(request.actor, document_id)
    if document is None:
        raise Http404
    try:
        services.document_restore(actor=request.actor, document=document)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file has been restored."))
    return redirect("web:documents_bin", slug, document.partner_tenant_id)


@tenant_view()
def bin_view(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require_collaboration(request, firm_id)
    context = {
        **_frame(request, firm_id),
        "documents": selectors.bin_list(request.actor, firm_id),
        "folders": selectors.folder_bin_list(request.actor, firm_id),
    }
    return render(request, "web/documents/bin.html", context)


@tenant_view()
def notifications(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require_collaboration(request, firm_id)
    setting = selectors.notification_setting(request.actor, firm_id)
    form = NotificationForm(request.POST or None, initial={"on_new_document": setting.on_new_document})
    if request.method == "POST" and form.is_valid():
        services.notification_update(
            actor=request.actor, firm_id=firm_id, on_new_document=form.cleaned_data["on_new_document"]
        )
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("web:documents_browse", slug, firm_id)
    return render(request, "web/documents/notifications.html", {**_frame(request, firm_id), "form": form})

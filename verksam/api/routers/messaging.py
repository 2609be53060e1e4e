"""Messages of a collaboration (issue 11 item 5): the same services and checks as the pages."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from verksam.core.errors import NotFound
from verksam.messaging import selectors, services
from verksam.partners.selectors import collaboration_firm_ids
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import tenant_get

from ..schemas.documents import DocumentCollaborationOut
from ..schemas.messaging import ChannelOut, MessageOut, MessageQuery, MessageSettingIn, MessageSettingOut
from ..tenant import tenant_endpoint
from ..types import Id

router = Router(tags=["messages"])
C = "/tenants/{tenant_id}/message-collaborations/{firm_id}/channels"


def _row(request, firm_id: int, key: str):
    if not selectors.may_use(request.actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))
    row = selectors.channel_row(request.actor, firm_id, key)
    if row is None:
        raise NotFound(_("The channel does not exist."))
    return row


@router.get("/tenants/{tenant_id}/message-collaborations", response=list[DocumentCollaborationOut])
@tenant_endpoint()
def collaboration_list(request, tenant_id: Id):
    """The accounting firms this company has channels with (a partner: their own firm)."""
    actor = request.actor
    if actor.is_partner:
        ids = (
            [actor.partner_tenant_id] if actor.has(Perm.MESSAGES_PARTNER) and actor.partner_tenant_id else []
        )
    else:
        ids = collaboration_firm_ids(actor.tenant_id)
    firms = [tenant_get(pk) for pk in ids]
    return [{"firm_id": f.pk, "name": f.name} for f in firms if f is not None]


@router.get(C, response=list[ChannelOut], summary="The channels I may read, with unread counts")
@tenant_endpoint()
def channel_list(request, tenant_id: Id, firm_id: Id):
    if not selectors.may_use(request.actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))
    return [
        {"key": r.key, "label": str(r.label), "unread": r.unread}
        for r in selectors.channel_list(request.actor, firm_id)
    ]


@router.get(
    C + "/{key}/messages", response=list[MessageOut], summary="A channel's messages (poll with after_id)"
)
@tenant_endpoint()
def message_list(request, tenant_id: Id, firm_id: Id, key: str, q: Query[MessageQuery]):
    row = _row(request, firm_id, key)
    return list(selectors.message_list(row.channel, after_id=q.after_id))


@router.post(C + "/{key}/messages", response={201: MessageOut}, summary="Write (multipart: body, files)")
@tenant_endpoint()
def message_post(
    request,
    tenant_id: Id,
    firm_id: Id,
    key: str,
    body: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # optional: a message alone
):
    _row(request, firm_id, key)
    message = services.message_post(
        actor=request.actor, firm_id=firm_id, key=key, body=body, files=files or []
    )
    return Status(201, message)


@router.post(C + "/{key}/read", response={204: None}, summary="Mark the channel read up to now")
@tenant_endpoint()
def channel_read(request, tenant_id: Id, firm_id: Id, key: str):
    _row(request, firm_id, key)
    services.channel_mark_read(actor=request.actor, firm_id=firm_id, key=key)
    return Status(204, None)


@router.get("/tenants/{tenant_id}/message-attachments/{attachment_id}", response={200: None})
@tenant_endpoint()
def attachment_get(request, tenant_id: Id, attachment_id: Id):
    found = selectors.attachment_get(request.actor, attachment_id)
    if found is None:
        raise NotFound(_("The file does not exist."))
    response = FileResponse(
        default_storage.open(found.file.name or "", "rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


N = "/tenants/{tenant_id}/message-collaborations/{firm_id}/notifications"


@router.get(N, response=MessageSettingOut, summary="My e-mail about new messages")
@tenant_endpoint()
def setting_get(request, tenant_id: Id, firm_id: Id):
    if not selectors.may_use(request.actor, firm_id):
        raise NotFound(_("The company does not exist or you do not have access to it."))
    return selectors.message_setting(request.actor, firm_id)


@router.put(N, response=MessageSettingOut)
@tenant_endpoint()
def setting_put(request, tenant_id: Id, firm_id: Id, payload: MessageSettingIn):
    return services.message_setting_update(
        actor=request.actor, firm_id=firm_id, email_on_message=payload.email_on_message
    )

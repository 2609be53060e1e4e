"""The tenant's outgoing e-mail and its delivery state, for the administrators (issue 7 item 11)."""

from ninja import Query, Router

from verksam.mail import selectors
from verksam.tenancy.permissions import Perm

from ..paging import Page, paginate
from ..schemas.mail import MailListParams, MailOut
from ..tenant import tenant_endpoint

router = Router(tags=["mail"])


@router.get(
    "/tenants/{tenant_id}/mails",
    response=Page[MailOut],
    summary="Outgoing e-mail and its delivery state (status=failed: the ones that could not be delivered)",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def mail_list(request, tenant_id: int, params: Query[MailListParams]):
    return paginate(selectors.mail_list(status=params.status or ""), params.page, params.page_size)

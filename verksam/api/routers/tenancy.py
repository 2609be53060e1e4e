"""Tenants, members (with their time bank) and accounting-firm grants."""

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from verksam.attestation import services as attestation_services
from verksam.schedules import selectors as schedule_selectors
from verksam.tenancy import selectors, services
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import tenant_scope
from verksam.timereporting import selectors as time_selectors
from verksam.timereporting import services as time_services

from ..paging import Page, PageParams, paginate
from ..schemas.tenancy import (
    InvitationOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    MemberTimeBankOut,
    MyInvitationOut,
    PartnerGrantIn,
    PartnerGrantOut,
    PersonnummerConfirmIn,
    TenantOut,
    TimeBankAdjustmentIn,
    TimeBankAdjustmentOut,
)
from ..tenant import tenant_endpoint
from ..types import Id, QueryDate

router = Router(tags=["tenants"])


@router.get("/tenants", response=list[TenantOut], summary="Companies I can work in")
def tenant_list(request):
    return [
        {
            "id": c.tenant.pk,
            "name": c.tenant.name,
            "slug": c.tenant.slug,
            "orgnr": c.tenant.orgnr,
            "variant": c.tenant.variant,
            "craftsman_mode": c.tenant.craftsman_mode,
            "role": c.role,
            "via_partner": c.via_partner,
        }
        for c in selectors.tenants_for_user(request.user)
    ]


@router.get("/tenants/{tenant_id}/members", response=Page[MemberOut], tags=["members"])
@tenant_endpoint(Perm.EMPLOYEES_VIEW)
def member_list(request, tenant_id: Id, params: Query[PageParams]):
    return paginate(selectors.membership_list(), params.page, params.page_size)


def _approver(approver_id):
    if approver_id is None:
        return None
    approver = selectors.membership_get(approver_id)
    if approver is None:
        raise Http404
    return approver


@router.post(
    "/tenants/{tenant_id}/members",
    response={201: InvitationOut},
    tags=["members"],
    summary="Invite a user by e-mail",
    description="Sends an invitation. The person becomes a member only when they accept it; until then "
    "the company sees the address only. The answer is the same whether or not the address has an account.",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def member_invite(request, tenant_id: Id, payload: MemberIn):
    data = payload.dict()
    approver = _approver(data.pop("approver_id"))
    template_id = data.pop("schedule_template_id")
    if template_id is not None and schedule_selectors.schedule_template_get(template_id=template_id) is None:
        raise Http404  # another company's or a missing template
    invitation = services.membership_invite(
        actor=request.actor, approver=approver, schedule_template_id=template_id, **data
    )
    return Status(201, invitation)


# --- invitations: the company's admins (pending list, resend, withdraw) ---------------------------


def _invitation(invitation_id: int):
    invitation = selectors.invitation_get(invitation_id)
    if invitation is None:  # another tenant's invitation answers like a missing one (rule 8)
        raise Http404
    return invitation


@router.get(
    "/tenants/{tenant_id}/invitations",
    response=Page[InvitationOut],
    tags=["members"],
    summary="Invitations waiting for an answer (addresses only)",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def invitation_list(request, tenant_id: int, params: Query[PageParams]):
    return paginate(selectors.invitation_list(), params.page, params.page_size)


@router.post(
    "/tenants/{tenant_id}/invitations/{invitation_id}/resend",
    response=InvitationOut,
    tags=["members"],
    summary="Send an invitation again with a new link (the old link stops working)",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def invitation_resend(request, tenant_id: int, invitation_id: int):
    return services.invitation_resend(actor=request.actor, invitation=_invitation(invitation_id))


@router.delete(
    "/tenants/{tenant_id}/invitations/{invitation_id}",
    response=InvitationOut,
    tags=["members"],
    summary="Withdraw an invitation",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def invitation_revoke(request, tenant_id: int, invitation_id: int):
    return services.invitation_revoke(actor=request.actor, invitation=_invitation(invitation_id))


# --- invitations: the invited person (their own, in any company) -----------------------------------


@router.get(
    "/invitations", response=list[MyInvitationOut], tags=["me"], summary="Invitations waiting for my answer"
)
def my_invitation_list(request):
    return selectors.invitations_for_user(request.user)


def _my_invitation(request, invitation_id: int):
    found = selectors.invitations_for_user(request.user, invitation_id=invitation_id)
    if not found:  # someone else's invitation answers like a missing one
        raise Http404
    return found[0]


@router.post(
    "/invitations/{invitation_id}/accept",
    response=MyInvitationOut,
    tags=["me"],
    summary="Accept an invitation and become a member of the company",
)
def my_invitation_accept(request, invitation_id: int):
    invitation = _my_invitation(request, invitation_id)
    with tenant_scope(invitation.tenant_id):
        services.invitation_accept(invitation=invitation, user=request.user)
        invitation.refresh_from_db(fields=["status"])
    return invitation


@router.post(
    "/invitations/{invitation_id}/decline",
    response=MyInvitationOut,
    tags=["me"],
    summary="Decline an invitation",
)
def my_invitation_decline(request, invitation_id: int):
    invitation = _my_invitation(request, invitation_id)
    with tenant_scope(invitation.tenant_id):
        return services.invitation_decline(invitation=invitation, user=request.user)


@router.patch(
    "/tenants/{tenant_id}/members/{member_id}",
    response=MemberOut,
    tags=["members"],
    summary="Change licence, approver, employment data or deactivate",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def member_update(request, tenant_id: Id, member_id: Id, payload: MemberPatch):
    membership = selectors.membership_get(member_id)
    if membership is None:
        raise Http404
    changes = payload.dict(exclude_unset=True)
    if "approver_id" in changes:
        changes["approver"] = _approver(changes.pop("approver_id"))
    new_approver = _approver(changes.pop("new_approver_id", None))
    confirm = bool(changes.pop("confirm_open_time", False))
    changes = {k: v for k, v in changes.items() if v is not None or k == "approver"}
    # through attestation: deactivating someone with unattested time is confirmed first (issue 8 item 7)
    return attestation_services.member_update(
        actor=request.actor,
        membership=membership,
        new_approver=new_approver,
        confirm_open_time=confirm,
        **changes,
    )


def _member(member_id: int):
    membership = selectors.membership_get(member_id)
    if membership is None:  # another tenant's member answers like a missing one (rule 8)
        raise Http404
    return membership


@router.post(
    "/tenants/{tenant_id}/members/{member_id}/personnummer-confirmation",
    response=MemberOut,
    tags=["members"],
    summary="Confirm a staff member's personnummer (accounting firms; the firm's TOTAL user)",
    description=(
        "Until BankID login exists, a customer can grant access by personnummer only to a person "
        "whose accounting firm has confirmed it. Type the number from the person's ID document; it "
        "must equal the one they entered. Companies that are not accounting firms answer 404."
    ),
)
@tenant_endpoint(Perm.IDENTITY_VERIFY)
def member_personnummer_confirm(request, tenant_id: int, member_id: int, payload: PersonnummerConfirmIn):
    return services.user_personnummer_verify(
        actor=request.actor, membership=_member(member_id), personnummer=payload.personnummer
    )


# The time bank of a member is administered with the users (Perm.USERS_MANAGE): the service
# `time_bank_adjust` accepts USERS_MANAGE (or SETTINGS_MANAGE, which the same licences hold).


@router.get(
    "/tenants/{tenant_id}/members/{member_id}/time-bank",
    response=MemberTimeBankOut,
    tags=["members"],
    summary="A member's time bank (tidsbank/flex): balance and manual adjustments",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def member_time_bank(request, tenant_id: Id, member_id: Id, until: QueryDate | None = None):
    membership = _member(member_id)
    until = until or timezone.localdate()
    balance = time_selectors.time_bank_balance(membership_ids=[membership.pk], until=until)
    return {
        "member_id": membership.pk,
        "until": until,
        "balance_minutes": balance[membership.pk],
        "adjustments": list(time_selectors.time_bank_adjustments(membership_id=membership.pk)),
    }


@router.post(
    "/tenants/{tenant_id}/members/{member_id}/time-bank/adjustments",
    response={201: TimeBankAdjustmentOut},
    tags=["members"],
    summary="Adjust a member's time bank by hand (opening balance, payout), with a reason",
)
@tenant_endpoint(Perm.USERS_MANAGE)
def member_time_bank_adjust(request, tenant_id: Id, member_id: Id, payload: TimeBankAdjustmentIn):
    adjustment = time_services.time_bank_adjust(
        actor=request.actor,
        membership=_member(member_id),
        date=payload.date,
        minutes=payload.minutes,
        reason=payload.reason,
    )
    return Status(201, adjustment)


@router.get("/tenants/{tenant_id}/partner-grants", response=Page[PartnerGrantOut], tags=["partner grants"])
@tenant_endpoint(Perm.PARTNER_GRANTS_MANAGE)
def partner_grant_list(request, tenant_id: Id, params: Query[PageParams], include_revoked: bool = False):
    return paginate(
        selectors.partner_grant_list(include_revoked=include_revoked), params.page, params.page_size
    )


@router.post(
    "/tenants/{tenant_id}/partner-grants",
    response={201: PartnerGrantOut},
    tags=["partner grants"],
    summary="Give a person at an accounting firm access, by personnummer",
)
@tenant_endpoint(Perm.PARTNER_GRANTS_MANAGE)
def partner_grant_create(request, tenant_id: Id, payload: PartnerGrantIn):
    grant = services.partner_grant_create(
        actor=request.actor, personnummer=payload.personnummer, level=payload.level
    )
    return Status(201, grant)


@router.delete(
    "/tenants/{tenant_id}/partner-grants/{grant_id}",
    response=PartnerGrantOut,
    tags=["partner grants"],
    summary="Revoke a grant",
)
@tenant_endpoint(Perm.PARTNER_GRANTS_MANAGE)
def partner_grant_revoke(request, tenant_id: Id, grant_id: Id):
    grant = selectors.partner_grant_get(grant_id)
    if grant is None:
        raise Http404
    return services.partner_grant_revoke(actor=request.actor, grant=grant)

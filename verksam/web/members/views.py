"""Users and licences (Inställningar > Användare): list, invite, edit, deactivate; each user's work
schedule (shown here, kept on the schedule page of verksam.web.schedules) and the time bank
(tidsbank) adjustments of each user; in an accounting firm, confirming a staff member's personnummer.

Who sees what (the same permissions as the API): the list is the employees' contact and salary
data (Perm.EMPLOYEES_VIEW: TOTAL, and FULL and LIMITED partners, read-only without USERS_MANAGE);
editing needs USERS_MANAGE, and TOTAL users and the TOTAL licence need USERS_MANAGE_TOTAL, which
no partner holds (DESIGN.md rule 11): a FULL partner sees a TOTAL user's fields read-only."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.attestation import services as attestation_services
from verksam.core.duration import hm, parse_hours
from verksam.core.errors import DomainError
from verksam.mail import selectors as mail_selectors
from verksam.schedules import selectors as schedule_selectors
from verksam.tenancy import selectors, services
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Licence, Membership, SalaryForm
from verksam.tenancy.permissions import LICENCE_PERMS, Perm
from verksam.timereporting import selectors as time_selectors
from verksam.timereporting import services as time_services
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error
from verksam.web.forms import TenantForm

MINUS_SIGNS = ("-", "−", "–")  # people type a hyphen; the UI (and copied text) shows a real minus


class SignedHoursField(forms.CharField):
    """A time bank adjustment typed as signed hours ("+7,5", "-2:30"); cleaned to signed minutes."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = (super().to_python(value) or "").replace(" ", "")
        sign = 1
        if text[:1] in MINUS_SIGNS:
            sign, text = -1, text[1:]
        elif text[:1] == "+":
            text = text[1:]
        try:
            minutes = parse_hours(text)
        except ValueError as exc:
            raise ValidationError(
                _("Type the hours with a sign, like +7,5 or -2:30."), code="invalid_hours"
            ) from exc
        return None if minutes is None else sign * minutes


class MemberFieldsForm(TenantForm):
    licence = forms.ChoiceField(label=gettext_lazy("Licence"), choices=Licence.choices)
    approver = forms.ModelChoiceField(
        label=gettext_lazy("Approver (attestansvarig)"),
        queryset=Membership.all_tenants.none(),
        required=False,
    )
    employment_number = forms.CharField(
        label=gettext_lazy("Employment number"), max_length=20, required=False
    )
    salary_form = forms.ChoiceField(label=gettext_lazy("Salary form"), choices=SalaryForm.choices)

    def __init__(self, *args, actor: Actor, read_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        approver = cast(forms.ModelChoiceField, self.fields["approver"])
        approver.queryset = approver_candidates()  # only who can attest (issue 8 item 7)
        licence = cast(forms.ChoiceField, self.fields["licence"])
        if read_only:  # a TOTAL user, seen by someone who may not change them
            for field in self.fields.values():
                field.disabled = True
        elif not actor.has(Perm.USERS_MANAGE_TOTAL):  # only the company's own admins give TOTAL
            licence.choices = [c for c in Licence.choices if c[0] != Licence.TOTAL]


class InviteForm(MemberFieldsForm):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("A suggestion for a new account; the person confirms their own name."),
    )
    # The work schedule they get when they accept (whole-day absence, missing days and flex follow
    # it); empty: the company's default template.
    schedule_template: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Work schedule"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("The company's default"),
        help_text=gettext_lazy("Can be changed later on the user's schedule page."),
    )
    field_order = [
        "email",
        "name",
        "licence",
        "approver",
        "employment_number",
        "salary_form",
        "schedule_template",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        template = cast(forms.ModelChoiceField, self.fields["schedule_template"])
        template.queryset = schedule_selectors.schedule_templates(active_only=True)


class MemberEditForm(MemberFieldsForm):
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)
    # Asked for only when the change needs it (issue 8 item 7): a demoted or deactivated approver's
    # employees need a new approver; an employee leaving with time not yet attested needs a yes.
    new_approver = forms.ModelChoiceField(
        label=gettext_lazy("New approver for their employees"),
        queryset=Membership.all_tenants.none(),
        help_text=gettext_lazy("A user with the STANDARD or TOTAL licence, e.g. a TOTAL user."),
    )
    confirm_open_time = forms.BooleanField(
        label=gettext_lazy("Deactivate anyway: the time stays in the approver's queue until it is attested"),
        required=True,
    )

    def __init__(self, *args, membership: Membership, ask: set[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_approver", "confirm_open_time"):
            if name not in ask:
                del self.fields[name]
        candidates = approver_candidates().exclude(pk=membership.pk)
        cast(forms.ModelChoiceField, self.fields["approver"]).queryset = candidates
        if "new_approver" in self.fields:
            cast(forms.ModelChoiceField, self.fields["new_approver"]).queryset = candidates


def approver_candidates():
    """Who may be named approver: active members whose licence allows attestation (issue 8 item 7)."""
    licences = [lic for lic, perms in LICENCE_PERMS.items() if Perm.TIME_ATTEST in perms]
    return selectors.membership_list(active_only=True).filter(licence__in=licences)


class TimeBankAdjustForm(TenantForm):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    # Named like the service argument so its errors land on the field.
    minutes = SignedHoursField(
        label=gettext_lazy("Hours (+/−)"),
        help_text=gettext_lazy("+ adds to the time bank, − draws from it, e.g. +7,5 or -2:30."),
        widget=forms.TextInput(attrs={"maxlength": 10}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        help_text=gettext_lazy("E.g. opening balance or payout."),
    )


class PersonnummerConfirmForm(forms.Form):
    personnummer = forms.CharField(
        label=gettext_lazy("Personnummer from the ID document"),
        max_length=13,
        help_text=gettext_lazy("YYYYMMDD-NNNN"),
    )


def _may_confirm_personnummer(actor: Actor) -> bool:
    return actor.tenant.is_partner and actor.has(Perm.IDENTITY_VERIFY)


@tenant_view(Perm.EMPLOYEES_VIEW)
def member_list(request: TenantRequest, slug: str) -> HttpResponse:
    members = list(selectors.membership_list())
    # Each user's work schedule today (one query for everyone): "40:00 h/vecka, 100 %".
    histories = schedule_selectors.schedule_histories(membership_ids=[m.pk for m in members])
    today = timezone.localdate()
    for m in members:
        schedule = histories[m.pk].on(today)
        m.schedule_week = hm(schedule.week_minutes)  # type: ignore[attr-defined]
        m.schedule_percent = schedule.percent  # type: ignore[attr-defined]
        m.schedule_name = schedule.template_name  # type: ignore[attr-defined]
    actor = request.actor
    may_manage = actor.has(Perm.USERS_MANAGE)
    # Invitations waiting for an answer show by address only: never the name or whether the
    # address has an account elsewhere (issue 7); they, and the mail that could not be delivered
    # (issue 7 item 11), are the administrators' business.
    invitations = list(selectors.invitation_list()) if may_manage else []
    failed_mails = mail_selectors.mail_failed_list() if may_manage else []
    context = {
        "members": members,
        "invitations": invitations,
        "failed_mails": failed_mails,
        "may_manage": may_manage,
        "may_confirm_personnummer": _may_confirm_personnummer(actor),
    }
    return render(request, "web/members/list.html", context)


@tenant_view(Perm.USERS_MANAGE)
def member_invite(request: TenantRequest, slug: str) -> HttpResponse:
    form = InviteForm(
        request.POST or None,
        actor=request.actor,
        initial={"licence": Licence.LIGHT},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template = data.pop("schedule_template", None)
        try:
            invitation = services.membership_invite(
                actor=request.actor, schedule_template_id=template.pk if template else None, **data
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            # The same words whether or not the address has an account somewhere (issue 7).
            messages.success(
                request,
                _("An invitation has been sent to %(email)s. They become a user when they accept it.")
                % {"email": invitation.email},
            )
            return redirect("web:members", slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/members/invite.html", {"form": form}, status=status)


def _time_bank(actor: Actor, membership: Membership, form: TimeBankAdjustForm) -> dict[str, Any] | None:
    """The Tidsbank section of the user page: today's balance and every manual adjustment."""
    if not actor.has(Perm.USERS_MANAGE):  # who may adjust (time_bank_adjust) is who may see it here
        return None
    today = timezone.localdate()
    balance = time_selectors.time_bank_balance(membership_ids=[membership.pk], until=today)[membership.pk]
    adjustments = list(time_selectors.time_bank_adjustments(membership_id=membership.pk))
    for adjustment in adjustments:
        adjustment.signed = hm(adjustment.minutes, signed=True)  # type: ignore[attr-defined]
    return {
        "balance": hm(balance, signed=True),
        "balance_minutes": balance,
        "today": today,
        "adjustments": adjustments,
        "form": form,
    }


@tenant_view(Perm.USERS_MANAGE)
def member_edit(request: TenantRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(membership_id)
    if membership is None:
        raise Http404
    # One page, two forms: the user's fields, and the time bank adjustment (form=time_bank).
    posted = request.POST if request.method == "POST" else None
    bank_post = posted is not None and posted.get("form") == "time_bank"
    initial = {
        "licence": membership.licence,
        "approver": membership.approver_id,
        "is_active": membership.is_active,
        "employment_number": membership.employment_number,
        "salary_form": membership.salary_form,
    }
    read_only = membership.licence == Licence.TOTAL and not request.actor.has(Perm.USERS_MANAGE_TOTAL)
    asked = {name for name in ("new_approver", "confirm_open_time") if posted and posted.get(f"ask_{name}")}

    def member_form(ask: set[str]) -> MemberEditForm:
        return MemberEditForm(
            None if bank_post else posted,
            actor=request.actor,
            read_only=read_only,
            initial=initial,
            membership=membership,
            ask=ask,
        )

    form = member_form(asked)
    open_days: list[dict] = []
    employees: list[dict] = []
    bank_form = TimeBankAdjustForm(
        posted if bank_post else None, prefix="bank", initial={"date": timezone.localdate()}
    )
    if bank_post and bank_form.is_valid():
        try:
            time_services.time_bank_adjust(
                actor=request.actor, membership=membership, **bank_form.cleaned_data
            )
        except (DomainError, ValidationError) as exc:
            add_error(bank_form, exc)
        else:
            messages.success(request, _("The time bank has been adjusted."))
            return redirect(reverse("web:member_edit", args=[slug, membership.pk]) + "#tidsbank")
    elif posted is not None and not bank_post and form.is_valid():
        try:
            attestation_services.member_update(
                actor=request.actor, membership=membership, **form.cleaned_data
            )
        except (DomainError, ValidationError) as exc:
            if isinstance(exc, DomainError) and exc.code in ("approver_has_employees", "open_time"):
                # ask for what the change needs, keeping what was typed (issue 8 item 7)
                asked |= {"approver_has_employees": {"new_approver"}, "open_time": {"confirm_open_time"}}[
                    exc.code
                ]
                form = member_form(asked)
                form.is_valid()
                for name in asked:
                    form.errors.pop(name, None)
                open_days = exc.extra.get("days", [])
                employees = exc.extra.get("employees", [])
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("web:members", slug)
    context = {
        "form": form,
        "asked": sorted(asked),
        "open_days": open_days,
        "approver_employees": employees,
        "read_only": read_only,
        "membership": membership,
        "time_bank": _time_bank(request.actor, membership, bank_form),
    }
    return render(request, "web/members/edit.html", context, status=422 if posted is not None else 200)


@tenant_view(Perm.IDENTITY_VERIFY)
def member_personnummer_confirm(request: TenantRequest, slug: str, membership_id: int) -> HttpResponse:
    """An accounting firm's TOTAL user confirms a staff member's personnummer (until BankID)."""
    membership = selectors.membership_get(membership_id)
    if membership is None or not request.tenant.is_partner:  # only a firm confirms (the API: 404)
        raise Http404
    form = PersonnummerConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_personnummer_verify(
                actor=request.actor, membership=membership, personnummer=form.cleaned_data["personnummer"]
            )
        except DomainError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("%(name)s's personnummer is confirmed.") % {"name": membership.user})
            return redirect("web:members", slug)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "membership": membership}
    return render(request, "web/members/personnummer.html", context, status=status)

"""Users and licences (Inställningar > Användare): list, invite, edit, deactivate."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.core.errors import DomainError
from verksam.tenancy import selectors, services
from verksam.tenancy.models import Licence, Membership, SalaryForm
from verksam.tenancy.permissions import Perm

from .decorators import TenantRequest, tenant_view
from .errors import add_error
from .forms import TenantForm


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.name or obj.user.email


class MemberFieldsForm(TenantForm):
    licence = forms.ChoiceField(label=gettext_lazy("Licence"), choices=Licence.choices)
    approver = MemberChoiceField(
        label=gettext_lazy("Approver (attestansvarig)"),
        queryset=Membership.all_tenants.none(),
        required=False,
    )
    employment_number = forms.CharField(
        label=gettext_lazy("Employment number"), max_length=20, required=False
    )
    salary_form = forms.ChoiceField(label=gettext_lazy("Salary form"), choices=SalaryForm.choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        approver = cast(forms.ModelChoiceField, self.fields["approver"])
        approver.queryset = selectors.membership_list(active_only=True)


class InviteForm(MemberFieldsForm):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    field_order = ["email", "name", "licence", "approver", "employment_number", "salary_form"]


class MemberEditForm(MemberFieldsForm):
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)


@tenant_view(Perm.USERS_MANAGE)
def member_list(request: TenantRequest, slug: str) -> HttpResponse:
    members = selectors.membership_list()
    return render(request, "web/members/list.html", {"members": members})


@tenant_view(Perm.USERS_MANAGE)
def member_invite(request: TenantRequest, slug: str) -> HttpResponse:
    form = InviteForm(request.POST or None, initial={"licence": Licence.LIGHT})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_invite(actor=request.actor, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("%(email)s has been invited.") % {"email": membership.user.email})
            return redirect("web:members", slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/members/invite.html", {"form": form}, status=status)


@tenant_view(Perm.USERS_MANAGE)
def member_edit(request: TenantRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(membership_id)
    if membership is None:
        raise Http404
    initial = {
        "licence": membership.licence,
        "approver": membership.approver_id,
        "is_active": membership.is_active,
        "employment_number": membership.employment_number,
        "salary_form": membership.salary_form,
    }
    form = MemberEditForm(request.POST or None, initial=initial)
    approver_field = cast(forms.ModelChoiceField, form.fields["approver"])
    approver_field.queryset = selectors.membership_list(active_only=True).exclude(pk=membership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=request.actor, membership=membership, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("web:members", slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/members/edit.html", {"form": form, "membership": membership}, status=status)

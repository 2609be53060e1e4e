"""Forms of the attestation pages."""

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.attestation import selectors
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.web.forms import TenantForm


class Action:
    ATTEST = "attest"
    REJECT = "reject"
    REOPEN = "reopen"


class DayActionForm(forms.Form):
    """Attest, reject (with a comment) or reopen (with a reason) the chosen days of one employee."""

    action = forms.ChoiceField(
        choices=[(Action.ATTEST, _("Attest")), (Action.REJECT, _("Reject")), (Action.REOPEN, _("Reopen"))]
    )
    dates = forms.TypedMultipleChoiceField(
        label=_("Days"),
        coerce=dt.date.fromisoformat,
        error_messages={"required": _("Choose at least one day.")},
    )
    comment = forms.CharField(
        label=_("Comment to the employee"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason for reopening"), required=False, max_length=500)

    def __init__(self, *args, days: list[dt.date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["dates"])
        field.choices = [(d.isoformat(), d.isoformat()) for d in days]


class DelegationForm(TenantForm):
    approver: forms.ModelChoiceField[Membership] = forms.ModelChoiceField(
        label=_("Approver"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to name a substitute for yourself."),
    )
    substitute: forms.ModelChoiceField[Membership] = forms.ModelChoiceField(
        label=_("Substitute"), queryset=None
    )
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        approver = cast(forms.ModelChoiceField, self.fields["approver"])
        substitute = cast(forms.ModelChoiceField, self.fields["substitute"])
        substitute.queryset = selectors.substitute_candidates()
        if actor.has(Perm.TIME_ATTEST_ALL):
            approver.queryset = selectors.approver_candidates()
            if actor.membership is None:
                approver.required = True
                approver.help_text = ""
        else:
            del self.fields["approver"]
            substitute.queryset = selectors.substitute_candidates(exclude=actor.membership)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

"""/styleguide: every component of the design system on one page, for developers (behind login;
issue 12 item 2). Pages are built from these parts; a new part is shown here first."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from verksam.core.money import Money
from verksam.tenancy.models import Licence

TOKENS = [
    "--color-text",
    "--color-muted",
    "--color-page",
    "--color-surface",
    "--color-surface-2",
    "--color-border",
    "--color-brand",
    "--color-accent",
    "--color-accent-soft",
    "--color-ok",
    "--color-ok-soft",
    "--color-warn",
    "--color-warn-soft",
    "--color-danger",
    "--color-danger-soft",
    "--color-holiday",
]


class ExampleForm(forms.Form):
    name = forms.CharField(label=_("Name"), help_text=_("As it is written on invoices."))
    licence = forms.ChoiceField(label=_("Licence"), choices=[("", "---------"), *Licence.choices])
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agree = forms.BooleanField(label=_("Send a copy to me"), required=False)


@require_GET
@login_required
def styleguide(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/styleguide/styleguide.html",
        {
            "tokens": TOKENS,
            "form": ExampleForm(label_suffix=""),
            "invalid_form": ExampleForm(data={"name": ""}, auto_id="invalid_%s", label_suffix=""),
            "example_date": dt.date(2026, 12, 1),
            "example_amount": Money(1234567).format_sv(),
            "example_hours": 7.5,
        },
    )

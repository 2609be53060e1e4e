"""Balances (Inställningar > Saldon, "Köp fler") and licence prices ("Vad kostar det?")."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from verksam.billing import selectors, services
from verksam.billing.models import BalanceKind, PaymentStatus
from verksam.billing.prices import TOPUP_PACKAGES, Quote, licence_quote
from verksam.core.errors import DomainError
from verksam.core.money import Money
from verksam.tenancy.models import Licence
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import tenant_view
from verksam.web.errors import add_error

PACKAGE_CHOICES = (1, 2, 5, 10)
ENTRIES_PER_PAGE = 25


class TopupForm(forms.Form):
    kind = forms.ChoiceField(choices=BalanceKind.choices, widget=forms.HiddenInput)
    quantity = forms.TypedChoiceField(label=gettext_lazy("Quantity"), coerce=int, choices=())

    def __init__(self, *args, kind: str, **kwargs) -> None:
        kwargs.setdefault("prefix", kind.lower())
        kwargs.setdefault("initial", {"kind": kind})
        super().__init__(*args, **kwargs)
        package = TOPUP_PACKAGES[kind]
        self.balance_kind = kind
        self.fields["quantity"].choices = [  # type: ignore[attr-defined]
            (package.size * n, f"{package.size * n} – {package.price.times(n).format_sv()}")
            for n in PACKAGE_CHOICES
        ]


def _topup_forms(actor, bound: TopupForm | None = None) -> dict[str, TopupForm]:
    if not actor.has(Perm.BALANCES_TOPUP):
        return {}
    forms_by_kind = {kind.value: TopupForm(kind=kind.value) for kind in BalanceKind}
    if bound is not None:
        forms_by_kind[bound.balance_kind] = bound
    return forms_by_kind


def _balances_page(
    request: HttpRequest, *, bound: TopupForm | None = None, status: int = 200
) -> HttpResponse:
    topup_forms = _topup_forms(request.actor, bound)  # type: ignore[attr-defined]
    rows = [{"balance": b, "form": topup_forms.get(b.kind)} for b in selectors.balance_list()]
    entries = Paginator(selectors.balance_entry_list(), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/billing/balances.html", {"rows": rows, "entries": entries}, status=status)


@tenant_view(Perm.BALANCES_VIEW)
def balances(request: HttpRequest, slug: str) -> HttpResponse:
    return _balances_page(request)


@tenant_view(Perm.BALANCES_TOPUP)
def balances_topup(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a top-up. With htmx the browser is sent straight to the checkout (HX-Redirect: a script
    navigation, which CSP form-action does not block); without JavaScript it lands on our own page
    with a link to the checkout, because CSP form-action also applies to a redirect after a POST."""
    if request.method != "POST":
        return redirect("web:balances", slug)
    kind = next((k for k in BalanceKind.values if f"{k.lower()}-kind" in request.POST), "")
    if kind not in BalanceKind.values:
        raise Http404
    form = TopupForm(request.POST, kind=kind)
    if form.is_valid():
        try:
            payment = services.topup_start(
                actor=request.actor,  # type: ignore[attr-defined]
                kind=form.cleaned_data["kind"],
                quantity=form.cleaned_data["quantity"],
                return_url=request.build_absolute_uri(_return_path(slug)),
            )
        except DomainError as exc:
            add_error(form, exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponseClientRedirect(payment.checkout_url)
            return redirect("web:balances_topup_detail", slug, payment.pk)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx does not swap a 422; show the error after a reload of the page instead.
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return HttpResponseClientRedirect(request.build_absolute_uri(_balances_path(slug)))
    return _balances_page(request, bound=form, status=422)


def _return_path(slug: str) -> str:
    return reverse("web:balances_return", args=[slug])


def _balances_path(slug: str) -> str:
    return reverse("web:balances", args=[slug])


@tenant_view(Perm.BALANCES_TOPUP)
def balances_topup_detail(request: HttpRequest, slug: str, payment_id: int) -> HttpResponse:
    payment = selectors.payment_get(payment_id)
    if payment is None:
        raise Http404
    context = {
        "payment": payment,
        "amount": Money(payment.amount_ore).format_sv(),
        "PaymentStatus": PaymentStatus,
    }
    return render(request, "web/billing/topup.html", context)


@tenant_view(Perm.BALANCES_VIEW)
def balances_return(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider sends the browser back here; the status is fetched from the provider, not trusted.

    Opening the page only shows it (issue 7 item 13: reads never write); the page posts back at once
    (htmx on load, or a button without JavaScript), and the POST confirms the payment, which credits
    the balance and writes the audit row. The provider's webhook confirms it too, so nothing depends on
    the browser coming back."""
    payment = selectors.payment_get_by_provider_id(request.GET.get("payment_id", ""))
    if payment is None:
        raise Http404
    if request.method != "POST":
        return render(request, "web/billing/return.html", {"payment": payment})
    try:
        payment = services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _to_balances(request, slug)
    label = BalanceKind(payment.kind).label
    if payment.status == PaymentStatus.PAID:
        messages.success(
            request,
            _("Thank you! %(quantity)s %(kind)s have been added to your balance.")
            % {"quantity": payment.quantity, "kind": label},
        )
    elif payment.status == PaymentStatus.CANCELLED:
        messages.error(request, _("The payment was cancelled. Nothing has been charged."))
    else:
        messages.warning(
            request, _("The payment has not been completed yet. The balance is updated once it is paid.")
        )
    return _to_balances(request, slug)


def _to_balances(request: HttpRequest, slug: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(_balances_path(slug))
    return redirect("web:balances", slug)


class PricingForm(forms.Form):
    billing = forms.ChoiceField(
        label=gettext_lazy("Billing"),
        choices=[
            ("monthly", gettext_lazy("Monthly")),
            ("annual", gettext_lazy("Annually (save 10 percent)")),
        ],
        widget=forms.RadioSelect,
        initial="monthly",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for licence in Licence.values:
            self.fields[licence] = forms.IntegerField(
                label=licence, min_value=0, max_value=10000, required=False, initial=0
            )

    def licence_fields(self):
        return [self[licence] for licence in Licence.values]


@tenant_view(Perm.BILLING_VIEW)
def pricing(request: HttpRequest, slug: str) -> HttpResponse:
    prices = selectors.licence_price_list()
    prices_ore = {licence: p.monthly_ore for licence, p in prices.items()}
    mix = selectors.licence_mix()
    current = licence_quote(users=mix, prices=prices_ore)
    bound = any(key in request.GET for key in ("billing", *Licence.values))
    form = PricingForm(request.GET if bound else None, initial={**mix, "billing": "monthly"})
    for licence, price in prices.items():
        form.fields[licence].label = f"{licence} · {Money(price.monthly_ore).format_sv()}"
    quote: Quote | None = current
    status = 200
    if bound:
        if form.is_valid():
            data = form.cleaned_data
            users = {licence: data.get(licence) or 0 for licence in Licence.values}
            quote = licence_quote(users=users, prices=prices_ore, annual=data["billing"] == "annual")
        else:
            # htmx does not swap a 422, so the partial answers 200 and shows the errors in place.
            quote, status = None, 200 if request.htmx else 422  # type: ignore[attr-defined]
    invited = selectors.licence_mix_invited()
    context = {
        "form": form,
        "quote": quote,
        "current": current,
        "prices": prices,
        "invited": invited,
        "invited_total": sum(invited.values()),
    }
    template = "web/billing/pricing.html#quote" if request.htmx else "web/billing/pricing.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)

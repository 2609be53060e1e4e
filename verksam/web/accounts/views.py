"""Login, logout, password reset and the personal page with API tokens."""

import datetime as dt
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from verksam.accounts import ratelimit
from verksam.accounts import selectors as account_selectors
from verksam.accounts import services as account_services
from verksam.accounts.models import User
from verksam.core.errors import DomainError, NotFound, RateLimited
from verksam.mail.services import mail_send
from verksam.tenancy import services as tenancy_services
from verksam.web.errors import add_error


class LoginForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    retry_after = None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                user = account_services.login_attempt(
                    request=request,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    browser=True,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 429 if exc.status == 429 else 422
                retry_after = exc.extra.get("retry_after")
            else:
                login(request, user)
                next_url = request.POST.get("next") or request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    next_url = reverse("web:home")
                redirected = redirect(next_url)
                ratelimit.remember_device(request, redirected)
                return redirected
    response = render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the token"), max_length=100)
    expires_in_days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        choices=[
            ("30", gettext_lazy("30 days")),
            ("90", gettext_lazy("90 days")),
            ("365", gettext_lazy("1 year")),
            ("", gettext_lazy("Until revoked")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The reset link's form: the new password is set by the service that revokes every API token."""

    def save(self, commit: bool = True) -> User:
        return account_services.user_password_set(user=self.user, password=self.cleaned_data["new_password1"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=30, required=False)
    personnummer = forms.CharField(
        label=gettext_lazy("Personnummer"),
        max_length=13,
        required=False,
        help_text=gettext_lazy("YYYYMMDD-NNNN"),
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # @login_required
    action = request.POST.get("action") if request.method == "POST" else None
    form = TokenForm(request.POST if action == "token" else None, auto_id="id_token_%s")
    profile_form = ProfileForm(
        request.POST if action == "profile" else None,
        initial={"name": user.name, "phone": user.phone, "personnummer": user.personnummer},
    )
    new_secret = None
    status = 200
    if action == "token":
        if form.is_valid():
            _token, new_secret = account_services.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
            form = TokenForm(auto_id="id_token_%s")
        else:
            status = 422
    elif action == "profile":
        if profile_form.is_valid():
            try:
                tenancy_services.user_profile_update(user=user, **profile_form.cleaned_data)
            except ValidationError as exc:
                add_error(profile_form, exc)
                user.refresh_from_db()
            else:
                messages.success(request, _("Your details have been saved."))
                return redirect("accounts:profile")
        status = 422
    tokens = account_selectors.api_token_list(user=user)
    context = {"form": form, "profile_form": profile_form, "tokens": tokens, "new_secret": new_secret}
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        account_services.api_token_revoke(user=cast(User, request.user), token_id=token_id)
    except NotFound as exc:  # another user's token answers like a missing one (rule 8)
        raise Http404 from exc
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:profile")


logout_view = auth_views.LogoutView.as_view()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending through the one mail path (issue 7 item 11): its own task after
    commit, retried with back-off, instead of SMTP inside the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        # A password belongs to the person, not to one of their companies: a mail without a tenant.
        mail_send(tenant_id=None, to=to_email, subject=subject, body=body, kind="password_reset")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with the mail saying until when its link works (PASSWORD_RESET_TIMEOUT)."""

    def form_valid(self, form):
        # Rate limits (accounts/ratelimit.py): too many from this client answers 429 with the form;
        # too many for this address answers as always ("if the address has an account, a link is on
        # its way") but sends nothing, so the answer never tells whether the address has an account.
        try:
            allowed = ratelimit.password_reset_allowed(self.request, form.cleaned_data["email"])
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        valid_until = timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        self.extra_email_context = {"valid_until": valid_until}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=SetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)

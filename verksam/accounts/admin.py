from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from verksam.core.errors import RateLimited, Unauthenticated

from . import services
from .models import ApiToken, User


class RateLimitedAdminLoginForm(AdminAuthenticationForm):
    """The admin site's login checks the password through the same rate limits as every login."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = services.login_attempt(request=self.request, email=email, password=password)
            except RateLimited as exc:
                raise ValidationError(exc.message, code="rate_limited") from exc
            except Unauthenticated as exc:
                raise self.get_invalid_login_error() from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = RateLimitedAdminLoginForm


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "name"]
    exclude = ["password"]
    # The personnummer is an identity: it is changed (which clears its confirmation, audited) and
    # confirmed only through tenancy.services, never by editing the row here.
    readonly_fields = ["personnummer", "personnummer_verified_at", "personnummer_verified_by"]

    def save_model(self, request, obj, form, change) -> None:
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Deactivation goes through the service, which revokes every API token (issue 7 item 12).
            obj.is_active = True
            super().save_model(request, obj, form, change)
            services.user_deactivate(user=obj)
            return
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "revoked_at", "revoked_reason"]

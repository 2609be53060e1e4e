from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from verksam.api.v1 import api
from verksam.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("verksam.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("verksam.web.urls")),
]
# Production serves the admin site only when asked to (ADMIN_ENABLED); its login is rate limited
# like every other (verksam.accounts.admin).
if settings.ADMIN_ENABLED:
    urlpatterns.insert(0, path("admin/", admin.site.urls))

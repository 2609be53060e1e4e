from django.contrib import admin
from django.urls import include, path

from verksam.api.v1 import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("verksam.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("verksam.web.urls")),
]

"""Pages of the timecodes module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/settings/time/", views.placeholder, name="timecodes_settings"),
]

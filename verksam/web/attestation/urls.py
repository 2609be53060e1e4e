"""Pages of the attestation module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/attestation/", views.placeholder, name="attest_queue"),
]

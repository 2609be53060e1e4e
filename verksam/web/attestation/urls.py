"""Pages of the attestation module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/attestation/", views.attest_queue, name="attest_queue"),
    path("t/<slug:slug>/attestation/bulk/", views.attest_bulk, name="attest_bulk"),
    path("t/<slug:slug>/attestation/delegations/", views.attest_delegations, name="attest_delegations"),
    path(
        "t/<slug:slug>/attestation/delegations/<int:delegation_id>/revoke/",
        views.attest_delegation_revoke,
        name="attest_delegation_revoke",
    ),
    path("t/<slug:slug>/attestation/period/close/", views.attest_period_close, name="attest_period_close"),
    path("t/<slug:slug>/attestation/period/reopen/", views.attest_period_reopen, name="attest_period_reopen"),
    path("t/<slug:slug>/attestation/<int:member_id>/", views.attest_employee, name="attest_employee"),
]

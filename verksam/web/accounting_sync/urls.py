"""Inställningar > Bokföringssystem: connect Fortnox / Visma eEkonomi, see the pushes. web:<name>."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "integrations/accounting/<slug:provider>/callback/",
        views.oauth_callback,
        name="accounting_oauth_callback",
    ),
    path("t/<slug:slug>/settings/accounting/", views.accounting_settings, name="accounting_settings"),
    path("t/<slug:slug>/settings/accounting/connect/", views.accounting_connect, name="accounting_connect"),
    path("t/<slug:slug>/settings/accounting/return/", views.accounting_return, name="accounting_return"),
    path(
        "t/<slug:slug>/settings/accounting/disconnect/",
        views.accounting_disconnect,
        name="accounting_disconnect",
    ),
    path(
        "t/<slug:slug>/settings/accounting/pushes/<int:push_id>/retry/",
        views.accounting_push_retry,
        name="accounting_push_retry",
    ),
]

"""Pages of a customer's accounting-firm partners (Byråpartner), named web:<name>."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/partners/", views.partner_grant_list, name="partner_grants"),
    path(
        "t/<slug:slug>/partners/<int:grant_id>/revoke/",
        views.partner_grant_revoke,
        name="partner_grant_revoke",
    ),
]

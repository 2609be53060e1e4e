"""Pages of balances (Saldon) and licence prices, named web:<name>."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/balances/", views.balances, name="balances"),
    path("t/<slug:slug>/balances/topup/", views.balances_topup, name="balances_topup"),
    path(
        "t/<slug:slug>/balances/topups/<int:payment_id>/",
        views.balances_topup_detail,
        name="balances_topup_detail",
    ),
    path("t/<slug:slug>/balances/return/", views.balances_return, name="balances_return"),
    path("t/<slug:slug>/pricing/", views.pricing, name="pricing"),
]

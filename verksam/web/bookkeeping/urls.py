"""Pages of bookkeeping (issue 10 items 6-7), mounted by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views, views_firm, views_manual, views_outlays, views_push

P = "t/<slug:slug>/bookkeeping/"

urlpatterns = [
    path(P, views.voucher_list, name="bookkeeping"),
    path(P + "vouchers/new/", views_manual.voucher_new, name="bookkeeping_voucher_new"),
    path(P + "vouchers/<int:voucher_id>/", views.voucher_detail, name="bookkeeping_voucher"),
    path(P + "vouchers/<int:voucher_id>/post/", views.voucher_post, name="bookkeeping_voucher_post"),
    path(P + "vouchers/<int:voucher_id>/reverse/", views.voucher_reverse, name="bookkeeping_voucher_reverse"),
    path(P + "vouchers/<int:voucher_id>/delete/", views.voucher_delete, name="bookkeeping_voucher_delete"),
    path(P + "outlays/", views_outlays.outlay_list, name="bookkeeping_outlays"),
    path(P + "outlays/<int:expense_id>/book/", views_outlays.outlay_book, name="bookkeeping_outlay_book"),
    path(P + "vouchers/<int:voucher_id>/push/", views_push.voucher_push, name="bookkeeping_voucher_push"),
    path(P + "private-outlays/", views_firm.private_outlays, name="bookkeeping_private_outlays"),
    path(
        P + "private-outlays/book/", views_firm.private_outlays_book, name="bookkeeping_private_outlays_book"
    ),
    path(P + "private-outlays/sie/", views_firm.private_outlays_sie, name="bookkeeping_private_outlays_sie"),
    path(P + "sie/", views.sie_download, name="bookkeeping_sie"),
    path(P + "settings/", views.settings_page, name="bookkeeping_settings"),
    path(
        P + "settings/accounts/",
        views.settings_save,
        {"form_key": "accounts"},
        name="bookkeeping_settings_save",
    ),
    path(
        P + "settings/cost-accounts/",
        views.settings_save,
        {"form_key": "cost_account"},
        name="bookkeeping_cost_account_save",
    ),
    path(P + "settings/fiscal-years/", views.fiscal_year_create, name="bookkeeping_fiscal_year_create"),
]

"""Pages of expenses, mileage and per diem (issue 10), mounted by verksam/web/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/expenses/", views.expenses_mine, name="expenses_mine"),
    path("t/<slug:slug>/expenses/<int:item_id>/", views.expense_edit, name="expense_edit"),
    path(
        "t/<slug:slug>/expenses/claims/<str:kind>/<int:item_id>/<str:action>/",
        views.claim_own_action,
        name="claim_own_action",
    ),
    path("t/<slug:slug>/expenses/receipts/<int:receipt_id>/", views.receipt_file, name="receipt_file"),
    path(
        "t/<slug:slug>/expenses/receipts/<int:receipt_id>/thumb/",
        views.receipt_thumbnail,
        name="receipt_thumbnail",
    ),
    path("t/<slug:slug>/trips/", views.trips_mine, name="trips_mine"),
    path("t/<slug:slug>/trips/per-diem/<int:item_id>/meals/", views.per_diem_meals, name="per_diem_meals"),
    path("t/<slug:slug>/attestation/claims/", views.claims_queue, name="claims_queue"),
    path(
        "t/<slug:slug>/attestation/claims/<str:kind>/<int:item_id>/<str:action>/",
        views.claim_decide,
        name="claim_decide",
    ),
    path("t/<slug:slug>/settings/expenses/", views.expense_settings, name="expense_settings"),
    path(
        "t/<slug:slug>/settings/expenses/types/<int:type_id>/",
        views.expense_type_edit,
        name="expense_type_edit",
    ),
    path("t/<slug:slug>/settings/expenses/rates/<int:rate_id>/", views.rate_edit, name="rate_edit"),
]

"""Pages of company cards and card purchases (issue 10 item 5), mounted by verksam/web/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/cards/", views.cards_mine, name="cards_mine"),
    path("t/<slug:slug>/cards/purchases/<int:purchase_id>/", views.purchase_edit, name="card_purchase_edit"),
    path(
        "t/<slug:slug>/cards/purchases/<int:purchase_id>/pick/<int:entered_id>/",
        views.purchase_pick,
        name="card_purchase_pick",
    ),
    path(
        "t/<slug:slug>/cards/purchases/<int:purchase_id>/book/",
        views.purchase_book,
        name="card_purchase_book",
    ),
    path("t/<slug:slug>/cards/booking/", views.cards_portal, name="cards_portal"),
    path("t/<slug:slug>/settings/cards/", views.cards_admin, name="cards_admin"),
    path("t/<slug:slug>/settings/cards/<int:card_id>/toggle/", views.card_toggle, name="card_toggle"),
    path("t/<slug:slug>/settings/cards/statements/", views.statement_upload, name="card_statement_upload"),
    path(
        "t/<slug:slug>/settings/cards/template.<str:fmt>",
        views.statement_template,
        name="card_statement_template",
    ),
    path("t/<slug:slug>/attestation/cards/", views.cards_queue, name="cards_queue"),
    path(
        "t/<slug:slug>/attestation/cards/<int:purchase_id>/<str:action>/",
        views.cards_decide,
        name="cards_decide",
    ),
]

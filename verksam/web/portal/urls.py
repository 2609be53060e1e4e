"""The accounting firm's portal (Partnerportalen), named web:<name>: Mina samarbeten and Skapa nytt
samarbete in the firm's own account; the customer view (tabs) in the customer's account, where the
firm person acts through their grant."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/portal/", views.collaboration_list, name="portal"),
    path("t/<slug:slug>/portal/inbox/", views.inbox, name="portal_inbox"),
    path("t/<slug:slug>/portal/new/", views.collaboration_create, name="portal_collaboration_create"),
    path("t/<slug:slug>/collaboration/", views.customer_view, name="portal_customer"),
    path("t/<slug:slug>/collaboration/<str:tab>/", views.customer_view, name="portal_customer_tab"),
]

"""Pages of the users module (Användare), mounted by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/users/", views.member_list, name="members"),
    path("t/<slug:slug>/users/invite/", views.member_invite, name="member_invite"),
    path("t/<slug:slug>/users/<int:membership_id>/", views.member_edit, name="member_edit"),
    path(
        "t/<slug:slug>/users/<int:membership_id>/personnummer/",
        views.member_personnummer_confirm,
        name="member_personnummer_confirm",
    ),
]

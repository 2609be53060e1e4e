"""Pages of the projects module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/projects/", views.project_list, name="project_list"),
    path("t/<slug:slug>/projects/new/", views.project_create, name="project_create"),
    path("t/<slug:slug>/projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("t/<slug:slug>/projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path(
        "t/<slug:slug>/projects/<int:project_id>/complete/", views.project_complete, name="project_complete"
    ),
    path("t/<slug:slug>/projects/<int:project_id>/reopen/", views.project_reopen, name="project_reopen"),
    path(
        "t/<slug:slug>/projects/<int:project_id>/members/",
        views.project_member_add,
        name="project_member_add",
    ),
    path(
        "t/<slug:slug>/projects/<int:project_id>/members/<int:membership_id>/remove/",
        views.project_member_remove,
        name="project_member_remove",
    ),
]

"""Pages of work schedules, mounted by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

P = "t/<slug:slug>/settings/schedules/"

urlpatterns = [
    path(P, views.schedules_page, name="schedules"),
    path(P + "templates/new/", views.schedule_template_create, name="schedule_template_create"),
    path(P + "templates/<int:template_id>/", views.schedule_template_edit, name="schedule_template_edit"),
    path(P + "assign/", views.schedule_assign, name="schedule_assign"),
    path("t/<slug:slug>/schedules/<int:membership_id>/", views.member_schedule, name="member_schedule"),
    path(
        "t/<slug:slug>/schedules/<int:membership_id>/<int:schedule_id>/delete/",
        views.member_schedule_delete,
        name="member_schedule_delete",
    ),
    path("t/<slug:slug>/time/schedule/", views.my_schedule, name="my_schedule"),
]

"""Pages of the timecodes module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

P = "t/<slug:slug>/settings/time/"

urlpatterns = [
    path(P, views.settings_page, name="timecodes_settings"),
    path(P + "time-codes/new/", views.time_code_create, name="timecodes_time_code_create"),
    path(P + "time-codes/<int:time_code_id>/", views.time_code_edit, name="timecodes_time_code_edit"),
    path(P + "absence-types/new/", views.absence_type_create, name="timecodes_absence_type_create"),
    path(
        P + "absence-types/<int:absence_type_id>/",
        views.absence_type_edit,
        name="timecodes_absence_type_edit",
    ),
    path(P + "activities/new/", views.activity_create, name="timecodes_activity_create"),
    path(P + "activities/<int:activity_id>/", views.activity_edit, name="timecodes_activity_edit"),
    path(P + "payroll-codes/", views.payroll_codes_save, name="timecodes_payroll_codes"),
    path(P + "period/", views.time_settings_save, name="timecodes_time_settings"),
]

"""Pages of the timereporting module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from .views import absence, behalf, day, locking, month, timer, week

urlpatterns = [
    path("t/<slug:slug>/time/", week.time_week, name="time_week"),
    path("t/<slug:slug>/time/grid/", week.time_grid_save, name="time_grid_save"),
    path("t/<slug:slug>/time/month/", month.time_month, name="time_month"),
    path("t/<slug:slug>/time/day/<str:day>/", day.time_day, name="time_day"),
    path("t/<slug:slug>/time/entries/<int:entry_id>/", day.time_entry_edit, name="time_entry_edit"),
    path(
        "t/<slug:slug>/time/entries/<int:entry_id>/delete/",
        day.time_entry_delete,
        name="time_entry_delete",
    ),
    path("t/<slug:slug>/time/lock/", locking.time_lock, name="time_lock"),
    path("t/<slug:slug>/time/unlock/", locking.time_unlock, name="time_unlock"),
    path("t/<slug:slug>/time/copy-week/", week.time_copy_week, name="time_copy_week"),
    # reporting on behalf of an employee (issue 8 item 6)
    path("t/<slug:slug>/time/employees/<int:member_id>/", behalf.time_behalf, name="time_behalf"),
    path(
        "t/<slug:slug>/time/employees/<int:member_id>/entries/<int:entry_id>/",
        behalf.time_behalf_entry_edit,
        name="time_behalf_entry_edit",
    ),
    path(
        "t/<slug:slug>/time/employees/<int:member_id>/entries/<int:entry_id>/delete/",
        behalf.time_behalf_entry_delete,
        name="time_behalf_entry_delete",
    ),
    path(
        "t/<slug:slug>/time/employees/<int:member_id>/lock/", behalf.time_behalf_lock, name="time_behalf_lock"
    ),
    path("t/<slug:slug>/time/timer/start/", timer.time_timer_start, name="time_timer_start"),
    path("t/<slug:slug>/time/timer/stop/", timer.time_timer_stop, name="time_timer_stop"),
    path("t/<slug:slug>/time/absence/", absence.time_absence, name="time_absence"),
    path("t/<slug:slug>/time/absence/<int:range_id>/", absence.time_absence_edit, name="time_absence_edit"),
    path(
        "t/<slug:slug>/time/absence/<int:range_id>/delete/",
        absence.time_absence_delete,
        name="time_absence_delete",
    ),
]

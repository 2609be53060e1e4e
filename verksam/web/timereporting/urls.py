"""Pages of the timereporting module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/time/", views.placeholder, name="time_week"),
]

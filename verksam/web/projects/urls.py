"""Pages of the projects module, mounted under /t/<slug>/ by verksam/web/urls.py (names: web:<name>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/projects/", views.placeholder, name="project_list"),
]

"""The audit log page (Händelselogg), named web:<name>."""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/audit/", views.audit_log, name="audit"),
]

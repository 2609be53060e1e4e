"""The landing page and a company's start page (Översikt), named web:<name>."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("t/<slug:slug>/", views.dashboard, name="dashboard"),
]

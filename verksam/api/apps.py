from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "verksam.api"
    label = "api"

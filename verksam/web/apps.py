from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "verksam.web"
    label = "web"

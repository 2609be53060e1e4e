from django.apps import AppConfig


class TimereportingConfig(AppConfig):
    name = "verksam.timereporting"
    label = "timereporting"

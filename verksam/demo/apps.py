from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "verksam.demo"
    label = "demo"
    verbose_name = "Demo data"

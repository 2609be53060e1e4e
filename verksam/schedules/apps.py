from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "verksam.schedules"
    label = "schedules"

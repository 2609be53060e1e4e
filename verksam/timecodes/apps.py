from django.apps import AppConfig


class TimecodesConfig(AppConfig):
    name = "verksam.timecodes"
    label = "timecodes"

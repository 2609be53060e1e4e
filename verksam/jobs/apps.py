from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "verksam.jobs"
    label = "jobs"

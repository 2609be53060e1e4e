from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "verksam.projects"
    label = "projects"

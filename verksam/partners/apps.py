from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "verksam.partners"
    label = "partners"
    verbose_name = "Partner portal"

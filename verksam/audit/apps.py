from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "verksam.audit"
    label = "audit"

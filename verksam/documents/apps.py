from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "verksam.documents"
    label = "documents"

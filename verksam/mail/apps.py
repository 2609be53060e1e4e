from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "verksam.mail"
    label = "mail"

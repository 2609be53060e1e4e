from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "verksam.messaging"
    label = "messaging"

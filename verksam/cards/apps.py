from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "verksam.cards"
    label = "cards"

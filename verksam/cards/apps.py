from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "verksam.cards"
    label = "cards"

    def ready(self) -> None:
        # registers the card purchase's claim kind with expenses.claims
        from . import services  # noqa: F401

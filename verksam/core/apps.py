from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verksam.core"
    label = "core"

    def ready(self) -> None:
        from . import dbhealth, pgtypes

        dbhealth.connect()
        pgtypes.connect()

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "verksam.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from . import rls  # noqa: F401  (connects the post_migrate hook that installs RLS policies)

from django.apps import AppConfig


class BookkeepingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "verksam.bookkeeping"
    label = "bookkeeping"
    verbose_name = "Bookkeeping"

from django.apps import AppConfig


class AccountingSyncConfig(AppConfig):
    name = "verksam.integrations.accounting"
    label = "accounting_sync"
    verbose_name = "Accounting system connections"

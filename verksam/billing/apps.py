from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "verksam.billing"
    label = "billing"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "verksam.accounts"
    label = "accounts"

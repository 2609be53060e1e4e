from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "verksam.expenses"
    label = "expenses"

from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "verksam.payroll"
    label = "payroll"

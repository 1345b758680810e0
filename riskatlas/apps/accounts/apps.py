from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "riskatlas.apps.accounts"
    label = "accounts"
    verbose_name = "Teams and roles"

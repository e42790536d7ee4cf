from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crossings.web.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

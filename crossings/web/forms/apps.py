from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "crossings.web.forms"
    label = "crossings_forms"
    verbose_name = "Forms and record pages"

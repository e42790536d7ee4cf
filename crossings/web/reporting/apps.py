from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "crossings.web.reporting"
    label = "reporting"
    verbose_name = "Records"

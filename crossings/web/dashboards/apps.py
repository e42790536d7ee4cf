from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "crossings.web.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards and analytics"

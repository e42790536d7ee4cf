from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "crossings.web.intelligence"
    label = "intelligence"
    verbose_name = "Linkage and networks"

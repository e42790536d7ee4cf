from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "crossings.web.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from crossings.web.audit import receivers  # noqa: F401, PLC0415 - connects login signals

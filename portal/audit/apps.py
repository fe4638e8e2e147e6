from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from portal.audit import dashboard  # noqa: F401  registers the dashboard panel
        from portal.core.navigation import NavEntry, register

        register(NavEntry("审计日志", "audit:entry_list", "audit.view_auditentry", order=90))

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from portal.audit import dashboard  # noqa: F401  registers the dashboard panel
        from portal.core.navigation import NavEntry, register

        register(NavEntry("审计日志", "audit:entry_list", "audit.view_auditentry", order=90))

        from django.db.models.signals import post_migrate

        from portal.audit.db_roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="audit-app-role-grants")

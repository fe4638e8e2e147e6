from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = "报表"

    def ready(self):
        from portal.reports import navigation  # noqa: F401  (registrations)

from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "portal.experts"
    label = "experts"
    verbose_name = "专家评审"

    def ready(self):
        from portal.experts import dashboard, navigation  # noqa: F401  (registrations)

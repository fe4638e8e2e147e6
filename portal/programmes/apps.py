from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "portal.programmes"
    label = "programmes"
    verbose_name = "申报"

    def ready(self):
        from portal.programmes import dashboard, navigation  # noqa: F401  (registrations)

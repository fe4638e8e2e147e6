from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portal.api"
    label = "api"
    verbose_name = "接口"

    def ready(self):
        from portal.api import schema  # noqa: F401  (registers the token scheme with drf-spectacular)

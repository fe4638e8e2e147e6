from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "portal.review"
    label = "review"
    verbose_name = "审核推荐"

    def ready(self):
        from portal.review import dashboard, navigation  # noqa: F401  (registrations)

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """An approved project's home: the list in scope, the project page and its tabs, progress reports."""

    name = "portal.projects"
    label = "projects"
    verbose_name = "实验项目"

    def ready(self):
        from portal.projects import dashboard, navigation  # noqa: F401  (registration)

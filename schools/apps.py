from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The Guangxi school (实验校) form, pilot schools' plans, training plans and rubrics."""
    name = "schools"
    verbose_name = "实验校"

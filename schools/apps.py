from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The Guangxi school application form; later pilot-school plans, training plans and rubrics."""
    name = "schools"
    verbose_name = "实验校"

    def ready(self):
        from portal.formspec.registry import register
        from schools.formspecs import guangxi_school_2023
        register(guangxi_school_2023())

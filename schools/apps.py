from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The Guangxi school application form, and a pilot school's own documents: its 校本研修与考核方案
    with the two scoring sheets."""
    name = "schools"
    verbose_name = "实验校"

    def ready(self):
        from portal.formspec.registry import register
        from schools.formspecs import guangxi_school_2023, school_dev_plan
        register(guangxi_school_2023())
        register(school_dev_plan())
        from schools import navigation, reports, rules  # noqa: F401  menu, audit labels, documents, permissions

from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The Guangxi school application form, and a pilot school's own documents: its 校本研修与考核方案
    with the two scoring sheets."""

    name = "schools"
    verbose_name = "实验校"

    def ready(self):
        # The school application form and the 发展规划 are documents in fixtures/forms/ (guangxi_school,
        # school_dev_plan), read by portal.formspec.
        from schools import navigation, reports, rules  # noqa: F401  menu, audit labels, documents, permissions

from django.apps import AppConfig


class FormspecConfig(AppConfig):
    name = "portal.formspec"
    label = "formspec"
    verbose_name = "申请表定义"

    def ready(self):
        # The definitions are documents (fixtures/forms/), read once at start-up.
        from portal.formspec.files import load_all

        load_all()
        from portal.formspec import navigation, rules  # noqa: F401  menu entry, audit labels, permissions

from django.apps import AppConfig


class FormspecConfig(AppConfig):
    name = "portal.formspec"
    label = "formspec"
    verbose_name = "申请表定义"

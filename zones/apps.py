from django.apps import AppConfig


class ZonesConfig(AppConfig):
    """Zone (实验区) application forms — national 2019 and Guangxi 2023 — and zone pages."""
    name = "zones"
    verbose_name = "实验区"

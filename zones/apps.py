from django.apps import AppConfig


class ZonesConfig(AppConfig):
    """Zone (实验区) application forms — national 2019 and Guangxi 2023 — and zone pages."""
    name = "zones"
    verbose_name = "实验区"

    def ready(self):
        from portal.formspec.registry import register
        from zones.formspecs import guangxi_zone_2023, national_zone_2019
        register(national_zone_2019())
        register(guangxi_zone_2023())

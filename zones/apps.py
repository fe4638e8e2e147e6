from django.apps import AppConfig


class ZonesConfig(AppConfig):
    """Zones (实验区). Their application forms — national 2019 and Guangxi 2023 — are documents in
    fixtures/forms/ (national_zone, guangxi_zone), read by portal.formspec."""

    name = "zones"
    verbose_name = "实验区"

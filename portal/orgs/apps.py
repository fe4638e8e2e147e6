from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "portal.orgs"
    label = "orgs"
    verbose_name = "机构与用户"

    def ready(self):
        from portal.core.navigation import NavEntry, register
        from portal.orgs import (
            dashboard,  # noqa: F401  registers the dashboard panels
            lookups,  # noqa: F401  registers path__under, the scope lookup
        )

        register(NavEntry("机构", "orgs:organisation_list", "orgs.view_organisation_tree", order=60))
        register(NavEntry("用户", "orgs:user_list", "orgs.view_user", order=65))
        register(NavEntry("批量导入", "orgs:import", "orgs.import_organisations", order=70))

from django.urls import include, path

urlpatterns = [
    path("", include("portal.core.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("", include("portal.orgs.urls")),
    path("", include("portal.programmes.urls")),
    path("audit/", include("portal.audit.urls")),
    path("api/", include("portal.api.urls")),
]

handler403 = "portal.core.errors.permission_denied"
handler404 = "portal.core.errors.not_found"
handler500 = "portal.core.errors.server_error"

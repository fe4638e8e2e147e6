from django.urls import include, path

from portal.projects.views import public as project_public
from portal.reports import views as report_views
from portal.review.views import public as review_public

urlpatterns = [
    path("", include("portal.core.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("", include("portal.orgs.urls")),
    path("", include("portal.programmes.urls")),
    path("review/", include("portal.review.urls")),
    path("experts/", include("portal.experts.urls")),
    path("reports/", include("portal.reports.urls")),
    path("projects/", include("portal.projects.urls")),
    path("projects/", include("budgets.urls")),
    path("", include("evaluation.urls")),
    path("", include("schools.urls")),
    path("forms/", include("portal.formspec.urls")),
    path("notices/approved/<int:call_pk>/", project_public.approved_list_view, name="approved_projects"),
    path("notices/", review_public.notice_index_view, name="public_notices"),
    path("verify/<str:code>/", report_views.verify_view, name="verify"),
    path("notices/<uuid:token>/", review_public.notice_detail_view, name="public_notice"),
    path("notifications/", include("portal.notifications.urls")),
    path("audit/", include("portal.audit.urls")),
    path("api/", include("portal.api.urls")),
]

handler400 = "portal.core.errors.bad_request"
handler403 = "portal.core.errors.permission_denied"
handler404 = "portal.core.errors.not_found"
handler500 = "portal.core.errors.server_error"

from django.urls import path

from portal.projects.views import home

app_name = "projects"
urlpatterns = [
    path("", home.project_list_view, name="list"),
    path("charts/", home.charts_view, name="charts"),
    path("<int:pk>/", home.project_detail_view, name="detail"),
    path("<int:pk>/schedule/", home.schedule_view, name="schedule"),
    path("<int:pk>/schedule/stages/", home.stage_add_view, name="stage_add"),
    path("<int:pk>/schedule/milestones/", home.milestone_add_view, name="milestone_add"),
    path("<int:pk>/schedule/milestones/<int:milestone_pk>/done/", home.milestone_done_view, name="milestone_done"),
    path(
        "<int:pk>/schedule/milestones/<int:milestone_pk>/remove/", home.milestone_remove_view, name="milestone_remove"
    ),
    path("<int:pk>/schedule/stages/<int:stage_pk>/remove/", home.stage_remove_view, name="stage_remove"),
    path("<int:pk>/implementation/", home.implementation_view, name="implementation"),
    path(
        "<int:pk>/implementation/<int:version_pk>/review/",
        home.implementation_review_view,
        name="implementation_review",
    ),
    path("<int:pk>/files/<int:file_pk>/", home.file_view, name="file"),
    path("<int:pk>/reports/", home.reports_view, name="reports"),
    path("<int:pk>/reports/<int:report_pk>/file/", home.report_file_view, name="report_file"),
    path("<int:pk>/reports/<int:report_pk>/review/", home.report_review_view, name="report_review"),
]

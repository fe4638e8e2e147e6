from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from evaluation import api as evaluation_api
from portal.api import views
from portal.experts import api as experts_api
from portal.formspec import api as forms_api
from portal.programmes import api as programmes_api
from portal.projects import api as projects_api
from portal.reports import api as reports_api
from portal.review import api as review_api
from schools import api as schools_api
from schools import plan_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation is a page for people: a visitor who is not signed in is sent to sign in
    # (and back), not shown a bare 403. The schema itself stays an API resource (401/403).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/auth/tokens/", views.MyTokenListView.as_view(), name="my_tokens"),
    path("v1/auth/tokens/<int:pk>/", views.MyTokenRevokeView.as_view(), name="my_token_revoke"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("v1/organisations/<str:code>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("v1/users/", views.UserListView.as_view(), name="user_list"),
    path("v1/users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("v1/calls/", programmes_api.CallListView.as_view(), name="call_list"),
    path("v1/calls/<int:pk>/", programmes_api.CallDetailView.as_view(), name="call_detail"),
    path("v1/applications/", programmes_api.ApplicationListView.as_view(), name="application_list"),
    path("v1/applications/<int:pk>/", programmes_api.ApplicationDetailView.as_view(), name="application_detail"),
    path("v1/applications/<int:pk>/submit/", programmes_api.ApplicationSubmitView.as_view(), name="application_submit"),
    path(
        "v1/applications/<int:pk>/withdraw/",
        programmes_api.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("v1/applications/<int:pk>/attachments/", programmes_api.AttachmentListView.as_view(), name="attachment_list"),
    path("v1/attachments/<int:pk>/", programmes_api.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("v1/applications/<int:pk>/decision/", review_api.DecisionView.as_view(), name="application_decision"),
    path("v1/applications/<int:pk>/opinions/", review_api.OpinionListView.as_view(), name="application_opinions"),
    path("v1/applications/<int:pk>/timeline/", review_api.TimelineView.as_view(), name="application_timeline"),
    path("v1/review-lists/", review_api.ListListView.as_view(), name="review_list_list"),
    path("v1/review-lists/<int:pk>/", review_api.ListDetailView.as_view(), name="review_list_detail"),
    path("v1/review-lists/<int:pk>/rank/", review_api.ListRankView.as_view(), name="review_list_rank"),
    path("v1/review-lists/<int:pk>/notice/", review_api.ListNoticeView.as_view(), name="review_list_notice"),
    path("v1/review-lists/<int:pk>/send/", review_api.ListSendView.as_view(), name="review_list_send"),
    path("v1/review-lists/<int:pk>/objections/", review_api.ObjectionListView.as_view(), name="review_list_objections"),
    path("v1/objections/<int:pk>/handle/", review_api.ObjectionHandleView.as_view(), name="objection_handle"),
    path("v1/expert/assignments/", experts_api.AssignmentListView.as_view(), name="expert_assignment_list"),
    path("v1/expert/assignments/<int:pk>/score/", experts_api.ScoreView.as_view(), name="expert_score"),
    path("v1/panels/<int:pk>/results/", experts_api.PanelResultsView.as_view(), name="panel_results"),
    path("v1/projects/", projects_api.ProjectListView.as_view(), name="project_list"),
    path("v1/projects/<int:pk>/", projects_api.ProjectDetailView.as_view(), name="project_detail"),
    path("v1/projects/<int:pk>/plan/", projects_api.PlanView.as_view(), name="project_plan"),
    path("v1/projects/<int:pk>/plan/submit/", projects_api.PlanSubmitView.as_view(), name="project_plan_submit"),
    path("v1/projects/<int:pk>/adjustments/", projects_api.AdjustmentView.as_view(), name="project_adjustments"),
    path("v1/projects/<int:pk>/expenditures/", projects_api.ExpenditureView.as_view(), name="project_expenditures"),
    path("v1/projects/<int:pk>/schedule/", projects_api.ScheduleView.as_view(), name="project_schedule"),
    path("v1/projects/<int:pk>/tasks/", projects_api.TaskListView.as_view(), name="project_tasks"),
    path("v1/projects/<int:pk>/training/", schools_api.TrainingPlanView.as_view(), name="project_training"),
    path(
        "v1/projects/<int:pk>/training/results/",
        schools_api.TrainingResultsView.as_view(),
        name="project_training_results",
    ),
    path(
        "v1/projects/<int:pk>/training/scores/",
        schools_api.TrainingScoresView.as_view(),
        name="project_training_scores",
    ),
    path("v1/ability-points/", schools_api.AbilityPointListView.as_view(), name="ability_point_list"),
    path("v1/projects/<int:pk>/development-plan/", plan_api.DevPlanView.as_view(), name="project_devplan"),
    path(
        "v1/projects/<int:pk>/development-plan/submit/",
        plan_api.DevPlanSubmitView.as_view(),
        name="project_devplan_submit",
    ),
    path("v1/forms/", forms_api.DefinitionListView.as_view(), name="form_list"),
    path("v1/forms/<slug:key>/<int:number>/", forms_api.DefinitionDetailView.as_view(), name="form_detail"),
    path("v1/guidance/", plan_api.GuidanceListView.as_view(), name="guidance_list"),
    path("v1/guidance/<int:gpk>/", plan_api.GuidanceDetailView.as_view(), name="guidance_detail"),
    path("v1/guidance/<int:gpk>/sign/", plan_api.GuidanceSignView.as_view(), name="guidance_sign"),
    path("v1/projects/<int:pk>/indicators/", projects_api.IndicatorListView.as_view(), name="project_indicators"),
    path(
        "v1/projects/<int:pk>/indicators/<int:indicator_pk>/actual/",
        projects_api.IndicatorActualView.as_view(),
        name="project_indicator_actual",
    ),
    path("v1/projects/<int:pk>/reports/", projects_api.ReportListView.as_view(), name="project_reports"),
    path("v1/projects/<int:pk>/extensions/", evaluation_api.ExtensionListView.as_view(), name="project_extensions"),
    path(
        "v1/projects/<int:pk>/extensions/<int:extension_pk>/",
        evaluation_api.ExtensionActionView.as_view(),
        name="project_extension_action",
    ),
    path(
        "v1/projects/<int:pk>/monthly-reports/",
        evaluation_api.MonthlyListView.as_view(),
        name="project_monthly_reports",
    ),
    path("v1/projects/<int:pk>/showcase/", evaluation_api.ShowcaseListView.as_view(), name="project_showcase"),
    path("v1/evaluation/rounds/", evaluation_api.RoundListView.as_view(), name="evaluation_round_list"),
    path("v1/evaluation/rounds/<int:pk>/", evaluation_api.RoundDetailView.as_view(), name="evaluation_round_detail"),
    path(
        "v1/evaluation/rounds/<int:pk>/apply/", evaluation_api.RoundApplyView.as_view(), name="evaluation_round_apply"
    ),
    path("v1/evaluation/entries/<int:pk>/", evaluation_api.EntryView.as_view(), name="evaluation_entry"),
    path(
        "v1/evaluation/entries/<int:pk>/submit/",
        evaluation_api.EntrySubmitView.as_view(),
        name="evaluation_entry_submit",
    ),
    path(
        "v1/evaluation/entries/<int:pk>/opinion/",
        evaluation_api.EntryOpinionView.as_view(),
        name="evaluation_entry_opinion",
    ),
    path(
        "v1/evaluation/entries/<int:pk>/score/", evaluation_api.EntryScoreView.as_view(), name="evaluation_entry_score"
    ),
    path("v1/evaluation/entries/<int:pk>/sign/", evaluation_api.EntrySignView.as_view(), name="evaluation_entry_sign"),
    path(
        "v1/evaluation/entries/<int:pk>/decision/",
        evaluation_api.EntryDecisionView.as_view(),
        name="evaluation_entry_decision",
    ),
    path(
        "v1/evaluation/rectifications/<int:pk>/",
        evaluation_api.RectificationView.as_view(),
        name="evaluation_rectification",
    ),
    path("v1/showcase/", evaluation_api.PublicShowcaseView.as_view(), name="showcase_list"),
    path(
        "v1/projects/<int:pk>/reports/<int:report_pk>/file/",
        projects_api.ReportFileView.as_view(),
        name="project_report_file",
    ),
    path("v1/reports/", reports_api.JobListView.as_view(), name="report_list"),
    path("v1/reports/<int:pk>/", reports_api.JobDetailView.as_view(), name="report_detail"),
    path("v1/reports/<int:pk>/file/", reports_api.JobFileView.as_view(), name="report_file"),
]

from django.urls import path

from schools import plan_views, views

app_name = "schools"
urlpatterns = [
    path("projects/<int:pk>/training/", views.training_view, name="training"),
    path("projects/<int:pk>/training/<str:kind>/<int:row_pk>/remove/", views.remove_view, name="remove"),
    path("projects/<int:pk>/training/groups/<int:group_pk>/", views.group_sheet_view, name="group_sheet"),
    path("projects/<int:pk>/training/teachers/<int:teacher_pk>/", views.teacher_sheet_view, name="teacher_sheet"),
    path("schools/training/", views.summary_view, name="summary"),
    path("projects/<int:pk>/development-plan/", plan_views.devplan_view, name="devplan"),
    path("projects/<int:pk>/development-plan/autosave/", plan_views.devplan_autosave_view, name="devplan_autosave"),
    path(
        "projects/<int:pk>/development-plan/versions/<int:number>/",
        plan_views.devplan_version_view,
        name="devplan_version",
    ),
    path("projects/<int:pk>/development-plan/files/", plan_views.devplan_upload_view, name="devplan_upload"),
    path("projects/<int:pk>/development-plan/files/<int:file_pk>/", plan_views.devplan_file_view, name="devplan_file"),
    path(
        "projects/<int:pk>/development-plan/files/<int:file_pk>/remove/",
        plan_views.devplan_file_remove_view,
        name="devplan_file_remove",
    ),
    path("projects/<int:pk>/development-plan/guidance/", plan_views.guidance_assign_view, name="guidance_assign"),
    path("schools/guidance/", plan_views.guidance_list_view, name="guidance_list"),
    path("schools/guidance/<int:gpk>/", plan_views.guidance_view, name="guidance"),
    path("schools/ability-points/", views.ability_points_view, name="ability_points"),
]

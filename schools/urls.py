from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("projects/<int:pk>/training/", views.training_view, name="training"),
    path("projects/<int:pk>/training/<str:kind>/<int:row_pk>/remove/", views.remove_view, name="remove"),
    path("projects/<int:pk>/training/groups/<int:group_pk>/", views.group_sheet_view, name="group_sheet"),
    path("projects/<int:pk>/training/teachers/<int:teacher_pk>/", views.teacher_sheet_view, name="teacher_sheet"),
    path("schools/training/", views.summary_view, name="summary"),
    path("schools/ability-points/", views.ability_points_view, name="ability_points"),
]

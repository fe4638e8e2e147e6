from django.urls import path

from portal.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organisation_list_view, name="organisation_list"),
    path("orgs/<str:code>/", views.organisation_detail_view, name="organisation_detail"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
]

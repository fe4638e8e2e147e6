from django.urls import path

from portal.orgs import account_views, views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organisation_list_view, name="organisation_list"),
    path("orgs/<str:code>/", views.organisation_detail_view, name="organisation_detail"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", account_views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", account_views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/reset-password/", account_views.user_reset_password_view, name="user_reset_password"),
    path("users/<int:pk>/deactivate/", account_views.user_deactivate_view, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", account_views.user_reactivate_view, name="user_reactivate"),
    path("users/<int:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
]

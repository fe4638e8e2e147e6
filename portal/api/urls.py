from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("v1/organisations/<str:code>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("v1/users/", views.UserListView.as_view(), name="user_list"),
    path("v1/users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
]

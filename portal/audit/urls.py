from django.urls import path

from portal.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list_view, name="entry_list"),
    path("<int:pk>/", views.entry_detail_view, name="entry_detail"),
]

from django.urls import path

from portal.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.centre_view, name="centre"),
    path("request/", views.request_view, name="request"),
    path("<int:pk>/status/", views.status_view, name="status"),
    path("<int:pk>/download/", views.download_view, name="download"),
]

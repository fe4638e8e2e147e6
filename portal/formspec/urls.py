from django.urls import path

from portal.formspec import views

app_name = "formspec"
urlpatterns = [
    path("", views.definition_list_view, name="list"),
    path("import/", views.definition_import_view, name="import"),
    path("<slug:key>/v<int:number>/", views.definition_detail_view, name="detail"),
    path("<slug:key>/v<int:number>/export/", views.definition_export_view, name="export"),
    path("<slug:key>/compare/", views.definition_compare_view, name="compare"),
]

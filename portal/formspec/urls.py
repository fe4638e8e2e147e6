from django.urls import path

from portal.formspec import editor_views, views

app_name = "formspec"
urlpatterns = [
    path("", views.definition_list_view, name="list"),
    path("import/", views.definition_import_view, name="import"),
    path("<slug:key>/v<int:number>/", views.definition_detail_view, name="detail"),
    path("<slug:key>/v<int:number>/export/", views.definition_export_view, name="export"),
    path("<slug:key>/compare/", views.definition_compare_view, name="compare"),
    path("<slug:key>/v<int:number>/derive/", editor_views.derive_view, name="derive"),
    path("drafts/<int:pk>/", editor_views.draft_view, name="draft"),
    path("drafts/<int:pk>/save/", editor_views.draft_save_view, name="draft_save"),
    path("drafts/<int:pk>/preview/", editor_views.draft_preview_view, name="draft_preview"),
    path("drafts/<int:pk>/preview.pdf", editor_views.draft_pdf_view, name="draft_pdf"),
    path("drafts/<int:pk>/publish/", editor_views.draft_publish_view, name="draft_publish"),
    path("drafts/<int:pk>/discard/", editor_views.draft_discard_view, name="draft_discard"),
]

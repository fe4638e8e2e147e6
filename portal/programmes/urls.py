from django.urls import path

from portal.programmes.views import applications, attachments, calls

app_name = "programmes"
urlpatterns = [
    path("calls/", calls.call_list_view, name="call_list"),
    path("calls/new/", calls.call_create_view, name="call_create"),
    path("calls/<int:pk>/", calls.call_detail_view, name="call_detail"),
    path("calls/<int:pk>/edit/", calls.call_edit_view, name="call_edit"),
    path("calls/<int:pk>/apply/", calls.call_apply_view, name="call_apply"),
    path("applications/", applications.application_list_view, name="application_list"),
    path("applications/<int:pk>/", applications.application_detail_view, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit_view, name="application_edit"),
    path("applications/<int:pk>/autosave/", applications.application_autosave_view, name="application_autosave"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw_view, name="application_withdraw"),
    path("applications/<int:pk>/compare/", applications.application_compare_view, name="application_compare"),
    path("applications/<int:pk>/attachments/", attachments.attachment_upload_view, name="attachment_upload"),
    path("attachments/<int:pk>/", attachments.attachment_download_view, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachments.attachment_delete_view, name="attachment_delete"),
]

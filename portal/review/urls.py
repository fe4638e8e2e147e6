from django.urls import path

from portal.review.views import lists, queue, seals

app_name = "review"
urlpatterns = [
    path("queue/", queue.queue_view, name="queue"),
    path("applications/<int:pk>/", queue.review_view, name="review"),
    path("lists/", lists.list_index_view, name="list_index"),
    path("lists/<int:pk>/", lists.list_detail_view, name="list_detail"),
    path("lists/<int:pk>/rank/", lists.list_rank_view, name="list_rank"),
    path("lists/<int:pk>/entries/<int:entry_pk>/remove/", lists.list_remove_view, name="list_remove"),
    path("lists/<int:pk>/notice/", lists.list_notice_view, name="list_notice"),
    path("lists/<int:pk>/notice/offline/", lists.list_offline_notice_view, name="list_offline_notice"),
    path("lists/<int:pk>/notice/scan/", lists.list_notice_scan_view, name="list_notice_scan"),
    path("lists/<int:pk>/send/", lists.list_send_view, name="list_send"),
    path("lists/<int:pk>/summary/", lists.list_summary_view, name="list_summary"),
    path("objections/<int:pk>/handle/", lists.objection_handle_view, name="objection_handle"),
    path("objections/<int:pk>/file/", lists.objection_file_view, name="objection_file"),
    path("seal/", seals.seal_view, name="seal"),
    path("seals/<int:pk>/image/", seals.seal_image_view, name="seal_image"),
]

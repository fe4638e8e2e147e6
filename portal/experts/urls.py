from django.urls import path

from portal.experts.views import admin, tasks

app_name = "experts"
urlpatterns = [
    path("pool/", admin.pool_view, name="pool"),
    path("panels/", admin.panel_list_view, name="panel_list"),
    path("panels/<int:pk>/", admin.panel_detail_view, name="panel_detail"),
    path("panels/<int:pk>/edit/", admin.panel_edit_view, name="panel_edit"),
    path("panels/<int:pk>/auto-assign/", admin.panel_auto_assign_view, name="panel_auto_assign"),
    path("panels/<int:pk>/assign/", admin.panel_assign_view, name="panel_assign"),
    path("panels/<int:pk>/close/", admin.panel_close_view, name="panel_close"),
    path("rubrics/<int:call_pk>/<str:kind>/", admin.rubric_view, name="rubric"),
    path("tasks/", tasks.task_list_view, name="task_list"),
    path("tasks/<int:pk>/", tasks.task_view, name="task"),
    path("tasks/<int:pk>/attachments/<int:attachment_pk>/", tasks.task_attachment_view, name="task_attachment"),
    path("tasks/<int:pk>/conflict/", tasks.task_conflict_view, name="task_conflict"),
    path("led/<int:pk>/", tasks.leader_view, name="leader"),
]

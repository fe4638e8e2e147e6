from django.urls import path

from evaluation.views import entries, indicators, pilot, project, public, rounds

app_name = "evaluation"
urlpatterns = [
    # The 绩效目标 tab of a project.
    path("projects/<int:pk>/indicators/", indicators.indicators_view, name="indicators"),
    path("projects/<int:pk>/indicators/add/", indicators.indicator_add_view, name="indicator_add"),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/actual/",
        indicators.indicator_actual_view,
        name="indicator_actual",
    ),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/verdict/",
        indicators.indicator_verdict_view,
        name="indicator_verdict",
    ),
    # The 评估与验收 tab of a project: its rounds, acceptance and extensions.
    path("projects/<int:pk>/evaluation/", project.project_evaluation_view, name="project"),
    path(
        "projects/<int:pk>/extensions/<int:extension_pk>/recommend/",
        project.extension_recommend_view,
        name="extension_recommend",
    ),
    path(
        "projects/<int:pk>/extensions/<int:extension_pk>/decide/",
        project.extension_decide_view,
        name="extension_decide",
    ),
    path("projects/<int:pk>/monthly/", pilot.monthly_project_view, name="monthly_project"),
    path("projects/<int:pk>/showcase/", pilot.showcase_project_view, name="showcase_project"),
    # Monthly pilot reports across the projects in scope; the showcase's selection.
    path("evaluation/monthly/", pilot.monthly_overview_view, name="monthly"),
    path("evaluation/showcase/", pilot.showcase_manage_view, name="showcase_manage"),
    path("evaluation/showcase/<int:pk>/select/", pilot.showcase_select_view, name="showcase_select"),
    # Rounds.
    path("evaluation/", rounds.round_list_view, name="rounds"),
    path("evaluation/new/", rounds.round_create_view, name="round_create"),
    path("evaluation/tasks/", rounds.task_list_view, name="tasks"),
    path("evaluation/<int:pk>/", rounds.round_detail_view, name="round"),
    path("evaluation/<int:pk>/standards/", rounds.standards_file_view, name="standards_file"),
    path("evaluation/<int:pk>/assign/", rounds.round_assign_view, name="round_assign"),
    path("evaluation/<int:pk>/publish/", rounds.round_publish_view, name="round_publish"),
    path("evaluation/<int:pk>/apply/", rounds.round_apply_view, name="round_apply"),
    # One project in a round.
    path("evaluation/entries/<int:pk>/", entries.entry_view, name="entry"),
    path("evaluation/entries/<int:pk>/autosave/", entries.entry_autosave_view, name="entry_autosave"),
    path("evaluation/entries/<int:pk>/files/", entries.file_upload_view, name="entry_upload"),
    path("evaluation/entries/<int:pk>/files/<int:file_pk>/", entries.file_view, name="entry_file"),
    path("evaluation/entries/<int:pk>/files/<int:file_pk>/remove/", entries.file_remove_view, name="entry_file_remove"),
    path("evaluation/entries/<int:pk>/opinion/", entries.opinion_view, name="opinion"),
    path("evaluation/entries/<int:pk>/score/", entries.score_view, name="score"),
    path("evaluation/entries/<int:pk>/conflict/", entries.conflict_view, name="conflict"),
    path("evaluation/entries/<int:pk>/assign/", entries.assign_one_view, name="assign_one"),
    path("evaluation/entries/<int:pk>/sign/", entries.sign_view, name="sign"),
    path("evaluation/entries/<int:pk>/decide/", entries.decide_view, name="decide"),
    path("evaluation/rectifications/<int:pk>/file/", entries.rectification_file_view, name="rectification_file"),
    path("evaluation/rectifications/<int:pk>/review/", entries.rectification_review_view, name="rectification_review"),
    # Public.
    path("notices/evaluation/", public.public_rounds_view, name="public_rounds"),
    path("notices/evaluation/<int:pk>/", public.public_round_view, name="public_round"),
    path("notices/showcase/", pilot.public_showcase_view, name="public_showcase"),
    path("notices/showcase/<int:pk>/file/", pilot.public_showcase_file_view, name="public_showcase_file"),
]

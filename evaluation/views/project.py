"""The project's 评估与验收 tab: its rounds and outcomes, the open acceptance rounds it may apply to,
and its extension requests with the recommendation and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from evaluation import extensions
from evaluation.models import Extension, ExtensionStatus, RoundKind, RoundStatus, Selection
from portal.core.exceptions import ServiceError
from portal.projects.pages import acting_on, done_or_refused, project_context
from portal.projects.selectors import get_visible_project

SCHEDULE_ROWS = 4


def _rows(post) -> list[dict]:
    return [
        {k: post.get(f"s-{i}-{k}", "") for k in ("name", "starts_on", "ends_on", "work")} for i in range(SCHEDULE_ROWS)
    ]


@login_required
@permission_required("projects.view_project", raise_exception=True)
def project_evaluation_view(request, pk):
    context = project_context(request, pk, "evaluation")
    project = context["project"]
    errors, status, typed = {}, 200, None
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        typed = request.POST
        try:
            extensions.request(
                actor=request.user,
                project=project,
                years=request.POST.get("years", ""),
                reasons=request.POST.get("reasons", ""),
                schedule=_rows(request.POST),
            )
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            errors, status = refusal.errors, 400
        else:
            messages.success(request, "延期申请已提交。")
            return redirect("evaluation:project", project.pk)
    from evaluation.models import EvaluationRound
    from evaluation.scope import visible_entries

    entries = visible_entries(request.user).filter(project=project).order_by("-round__created_at", "-pk")
    open_acceptance = (
        EvaluationRound.objects.filter(
            call=project.call, kind=RoundKind.ACCEPTANCE, selection=Selection.APPLIED, status=RoundStatus.OPEN
        )
        if context["can_edit"]
        else []
    )
    context.update(
        {
            "entries": entries,
            "extensions": list(project.extensions.select_related("requested_by")),
            "open_acceptance": open_acceptance,
            "errors": errors,
            "typed": typed,
            "schedule_rows": [
                {k: (typed.get(f"s-{i}-{k}", "") if typed else "") for k in ("name", "starts_on", "ends_on", "work")}
                for i in range(SCHEDULE_ROWS)
            ],
            "limit": project.call.extension_years_max,
            "granted": extensions.granted_years(project),
            "may_decide": extensions.may_decide(request.user, project),
            "pending": project.extensions.filter(
                status__in=[ExtensionStatus.REQUESTED, ExtensionStatus.RECOMMENDED]
            ).exists(),
        }
    )
    return render(request, "evaluation/project.html", context, status=status)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def extension_recommend_view(request, pk, extension_pk):
    project = acting_on(request, pk, "projects.decide_project")
    extension = get_object_or_404(Extension, project=project, pk=extension_pk)
    agree = request.POST.get("action") != "refuse"
    return done_or_refused(
        request,
        lambda: extensions.recommend(
            actor=request.user, extension=extension, agree=agree, text=request.POST.get("recommendation", "")
        ),
        "已推荐，报省级决定。" if agree else "已签署不予推荐意见。",
        "evaluation:project",
        project.pk,
    )


@login_required
@require_POST
@permission_required("evaluation.manage_rounds", raise_exception=True)
def extension_decide_view(request, pk, extension_pk):
    project = get_visible_project(request.user, pk=pk)
    extension = get_object_or_404(Extension, project=project, pk=extension_pk)
    approve = request.POST.get("action") == "approve"
    if not extensions.may_decide(request.user, project):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return done_or_refused(
        request,
        lambda: extensions.decide(
            actor=request.user, extension=extension, approve=approve, note=request.POST.get("decision_note", "")
        ),
        "已批准延期。" if approve else "已决定不予延期。",
        "evaluation:project",
        project.pk,
    )

"""The 绩效目标表 tab: the header, the indicator tree with targets, actual values and judgements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from evaluation import selectors, services
from evaluation.models import Comparator, Indicator, IndicatorKind
from portal.core.boundary import parse_id
from portal.projects.pages import acting_on, attempt, done_or_refused, project_context


def _defaults(project) -> dict:
    """A new table starts from what the project already says."""
    parent = project.organisation.parent
    return {
        "name": project.title,
        "undertaker": project.organisation.name,
        "supervisor": parent.name if parent else "",
        "period": f"{project.call.cycle_years}年",
        "basis": f"《{project.call.notice_title or project.call.title}》（{project.call.document_number}）",
    }


@login_required
@permission_required("projects.view_project", raise_exception=True)
def indicators_view(request, pk):
    context = project_context(request, pk, "indicators")
    project = context["project"]
    table = selectors.table_of(project)
    errors, status = {}, 200
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        version = request.POST.get("_lock_version", "")
        refused = attempt(
            request,
            lambda: services.save_table(
                actor=request.user, project=project, data=request.POST, expected_version=parse_id(version)
            ),
            "绩效目标表已保存。",
        )
        if refused is None:
            return redirect("evaluation:indicators", project.pk)
        errors, status = refused
    header = (
        request.POST
        if request.method == "POST"
        else (
            {f: getattr(table, f) for f, _, _ in services.HEADER} | {"filler": table.filler}
            if table
            else _defaults(project)
        )
    )
    rows = selectors.indicator_rows(table)
    context.update(
        {
            "table": table,
            "header": header,
            "fields": services.HEADER,
            "errors": errors,
            "rows": rows,
            "summary": selectors.summary(rows),
            "kinds": IndicatorKind.choices,
            "comparators": Comparator.choices,
            "goal_limit": services.GOAL_LIMIT,
        }
    )
    return render(request, "evaluation/indicators.html", context, status=status)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def indicator_add_view(request, pk):
    project = acting_on(request, pk, "projects.edit_project")
    table = selectors.table_of(project)
    if table is None:
        messages.error(request, "请先填写并保存绩效目标表的表头。")
        return redirect("evaluation:indicators", project.pk)
    return done_or_refused(
        request,
        lambda: services.add_indicator(actor=request.user, table=table, data=request.POST),
        "已添加绩效指标。",
        "evaluation:indicators",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def indicator_actual_view(request, pk, indicator_pk):
    project = acting_on(request, pk, "projects.edit_project")
    indicator = get_object_or_404(Indicator, table__project=project, pk=indicator_pk)
    return done_or_refused(
        request,
        lambda: services.record_actual(actor=request.user, indicator=indicator, raw=request.POST.get("actual", "")),
        f"已记录“{indicator.name}”的实际值。",
        "evaluation:indicators",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def indicator_verdict_view(request, pk, indicator_pk):
    project = acting_on(request, pk, "projects.decide_project")
    indicator = get_object_or_404(Indicator, table__project=project, pk=indicator_pk)
    met = request.POST.get("met") == "1"
    return done_or_refused(
        request,
        lambda: services.judge_qualitative(actor=request.user, indicator=indicator, met=met),
        f"已判定“{indicator.name}”{'达成' if met else '未达成'}。",
        "evaluation:indicators",
        project.pk,
    )

"""The spending plan tab: the editor while drafting, the approved table with execution rates, the
level above's decision with opinion and seal, and adjustments."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from budgets import selectors
from budgets.choices import AdjustmentStatus
from budgets.models import Adjustment, BudgetShare
from budgets.services import plans
from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.projects.pages import acting_on, done_or_refused, project_context

_ROW_KEY = re.compile(r"^lines-(\d{1,3})-(\w+)$")
BLANK_ROWS = 2


def rows_from_post(post) -> list[dict]:
    rows: dict[int, dict] = {}
    for key in post:
        if match := _ROW_KEY.match(key):
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = post.get(key, "")
    return [rows[i] for i in sorted(rows)]


def _version(post) -> int | None:
    return parse_id(post.get("_lock_version", ""))


def _editor_rows(plan, posted=None) -> list[dict]:
    if posted is not None:
        rows = posted
    elif plan is not None:
        rows = [{f: getattr(line, f) for f in plans.LINE_FIELDS} | {"amount": line.amount} for line in plan.lines.all()]
    else:
        rows = []
    return rows + [{} for _ in range(BLANK_ROWS)]


def _render(request, context, *, posted=None, errors=None, status=200):
    project, plan = context["project"], context["plan"]
    money = selectors.execution(plan) if plan else None
    context.update(
        {
            "rows": _editor_rows(plan, posted),
            "errors": errors or {},
            "header": {
                "grant": request.POST.get("grant", plan.grant if plan else ""),
                "source": request.POST.get("source", plan.source if plan else ""),
                "goal": request.POST.get("goal", plan.goal if plan else ""),
            },
            "money": money,
            "refusals": plans.plan_refusals(plan) if plan else [],
            "shares": BudgetShare.objects.filter(call=project.call),
            "decisions": plan.decisions.select_related("seal", "adjustment") if plan else [],
            "adjustments": plan.adjustments.all() if plan else [],
            "pending": plan.adjustments.filter(status=AdjustmentStatus.PENDING).first() if plan else None,
        }
    )
    return render(request, "budgets/plan.html", context, status=status)


@login_required
@permission_required("projects.view_project", raise_exception=True)
def plan_view(request, pk):
    context = project_context(request, pk, "budget")
    context["plan"] = selectors.plan_of(context["project"])
    if request.method != "POST":
        return _render(request, context)
    project = acting_on(request, pk, "projects.edit_project")
    posted = rows_from_post(request.POST)
    try:
        plan = plans.save_plan(
            actor=request.user,
            project=project,
            grant=request.POST.get("grant", ""),
            source=request.POST.get("source", ""),
            goal=request.POST.get("goal", ""),
            rows=posted,
            expected_version=_version(request.POST),
        )
    except Conflict as conflict:
        messages.error(request, conflict.message + "请核对后再保存（您填写的内容仍在下方）。")
        return _render(request, context, posted=posted, status=409)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return _render(request, context, posted=posted, errors=refusal.errors, status=400)
    refusals = plans.plan_refusals(plan)
    if refusals:
        messages.warning(request, "方案已保存，但尚不能提交：" + " ".join(refusals))
    else:
        messages.success(request, "用款方案已保存。")
    return redirect("budgets:plan", project.pk)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def plan_submit_view(request, pk):
    project = acting_on(request, pk, "projects.edit_project")
    plan = get_object_or_404(selectors.SpendingPlan, project=project)
    return done_or_refused(
        request,
        lambda: plans.submit_plan(actor=request.user, plan=plan, expected_version=_version(request.POST)),
        "用款方案已提交，等待上级审批。",
        "budgets:plan",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def plan_decide_view(request, pk):
    project = acting_on(request, pk, "projects.decide_project")
    plan = get_object_or_404(selectors.SpendingPlan, project=project)
    approve = request.POST.get("outcome") == "approve"
    return done_or_refused(
        request,
        lambda: plans.decide_plan(actor=request.user, plan=plan, approve=approve, text=request.POST.get("text", "")),
        "已批复用款方案。" if approve else "已退回用款方案。",
        "budgets:plan",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def adjustment_request_view(request, pk):
    project = acting_on(request, pk, "projects.edit_project")
    plan = get_object_or_404(selectors.SpendingPlan, project=project)
    amounts = {
        key.split("-", 1)[1]: value
        for key, value in request.POST.items()
        if key.startswith("amount-") and parse_id(key.split("-", 1)[1]) is not None
    }
    return done_or_refused(
        request,
        lambda: plans.request_adjustment(
            actor=request.user, plan=plan, amounts=amounts, reason=request.POST.get("reason", "")
        ),
        "调整申请已提交，等待上级审批。",
        "budgets:plan",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def adjustment_decide_view(request, pk, adjustment_pk):
    project = acting_on(request, pk, "projects.decide_project")
    adjustment = get_object_or_404(Adjustment, plan__project=project, pk=adjustment_pk)
    approve = request.POST.get("outcome") == "approve"
    return done_or_refused(
        request,
        lambda: plans.decide_adjustment(
            actor=request.user, adjustment=adjustment, approve=approve, text=request.POST.get("text", "")
        ),
        "已批准调整。" if approve else "已不予批准调整。",
        "budgets:plan",
        project.pk,
    )

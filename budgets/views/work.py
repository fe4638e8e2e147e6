"""The spending tab (expenditure with vouchers) and the task list tab."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from budgets import selectors
from budgets.models import BudgetLine, Expenditure, Task
from budgets.services import schedule as schedule_services
from budgets.services.spending import record_expenditure
from portal.audit.services import log_action
from portal.core import files
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.projects.pages import acting_on, attempt, done_or_refused, project_context


def _day(raw):
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return "bad"


@login_required
@permission_required("projects.view_project", raise_exception=True)
def spending_view(request, pk):
    context = project_context(request, pk, "spending")
    project = context["project"]
    plan = selectors.plan_of(project)
    errors, status = {}, 200
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        line_pk = parse_id(request.POST.get("line", ""))
        line = BudgetLine.objects.filter(plan=plan, pk=line_pk).first() if plan and line_pk is not None else None
        upload = request.FILES.get("voucher")
        spent_on = _day(request.POST.get("spent_on", ""))

        def record():
            if line is None:
                raise ServiceError("请选择预算项目。", errors={"line": ["请选择预算项目。"]})
            if spent_on == "bad":
                raise ServiceError("支出日期无效。", errors={"spent_on": ["请填写有效日期，如 2021-09-15。"]})
            return record_expenditure(
                actor=request.user,
                line=line,
                spent_on=spent_on,
                amount=request.POST.get("amount", ""),
                payee=request.POST.get("payee", ""),
                voucher_name=upload.name if upload else "",
                voucher=upload.read() if upload else None,
            )

        refused = attempt(request, record, "支出已登记。")
        if refused is None:
            return redirect("budgets:spending", project.pk)
        errors, status = refused
    context.update(
        {
            "plan": plan,
            "money": selectors.execution(plan) if plan else None,
            "errors": errors,
            "expenditures": Expenditure.objects.filter(line__plan=plan).select_related("line", "recorded_by")
            if plan
            else [],
            "posted": request.POST,
        }
    )
    return render(request, "budgets/spending.html", context, status=status)


@login_required
@permission_required("projects.view_project", raise_exception=True)
def voucher_view(request, pk, expenditure_pk):
    context = project_context(request, pk, "spending")
    expenditure = get_object_or_404(
        Expenditure, line__plan__project=context["project"], pk=expenditure_pk, voucher_stored__gt=""
    )
    log_action("budgets.voucher.download", actor=request.user, obj=expenditure)
    return files.file_response(expenditure.voucher_stored, expenditure.voucher_type, expenditure.voucher_name)


@login_required
@permission_required("projects.view_project", raise_exception=True)
def tasks_view(request, pk):
    context = project_context(request, pk, "tasks")
    project = context["project"]
    errors, status = {}, 200
    # ?edit=<id> opens a task in the form; a POST naming `task` saves it, one without adds a new one.
    editing_key = request.POST.get("task", "") if request.method == "POST" else request.GET.get("edit", "")
    editing = project.tasks.filter(pk=task_pk).first() if (task_pk := parse_id(editing_key)) is not None else None
    if request.method == "POST":
        project = acting_on(request, pk, "projects.edit_project")
        refused = attempt(
            request,
            lambda: schedule_services.save_task(actor=request.user, project=project, data=request.POST, task=editing),
            "任务已修改。" if editing else "任务已添加。",
        )
        if refused is None:
            return redirect("budgets:tasks", project.pk)
        errors, status = refused
    plan = selectors.plan_of(project)
    posted = (
        request.POST
        if request.method == "POST"
        else (
            {f: getattr(editing, f) for f, _, _ in schedule_services.TASK_COLUMNS}
            | {"line": str(editing.line_id or "")}
            if editing
            else {}
        )
    )
    context.update(
        {
            "tasks": project.tasks.select_related("line"),
            "columns": schedule_services.TASK_COLUMNS,
            "lines": plan.lines.all() if plan else [],
            "errors": errors,
            "posted": posted,
            "editing": editing,
        }
    )
    return render(request, "budgets/tasks.html", context, status=status)


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def task_done_view(request, pk, task_pk):
    project = acting_on(request, pk, "projects.edit_project")
    task = get_object_or_404(Task, project=project, pk=task_pk)
    done_on = _day(request.POST.get("done_on", ""))
    return done_or_refused(
        request,
        lambda: schedule_services.complete_task(
            actor=request.user,
            task=task,
            done_on=None if done_on == "bad" else done_on,
            evidence=request.POST.get("evidence", ""),
        ),
        "已记录任务完成情况。",
        "budgets:tasks",
        project.pk,
    )


@login_required
@require_POST
@permission_required("projects.view_project", raise_exception=True)
def task_remove_view(request, pk, task_pk):
    project = acting_on(request, pk, "projects.edit_project")
    task = get_object_or_404(Task, project=project, pk=task_pk)
    return done_or_refused(
        request,
        lambda: schedule_services.remove_task(actor=request.user, task=task),
        "已删除任务。",
        "budgets:tasks",
        project.pk,
    )

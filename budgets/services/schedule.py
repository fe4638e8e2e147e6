"""The staged schedule (stages and milestones) and the task list (任务清单)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from budgets.choices import MilestoneStatus
from budgets.models import BudgetLine, Milestone, Stage, Task
from budgets.services.common import audit_change, in_cycle, require, snapshot, text
from portal.audit.services import log_action
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError


def _day(data: dict, field: str, label: str, errors: dict, project, *, required=True) -> date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors[field] = [f"请填写{label}。"]
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            errors[field] = [f"{label}：请填写有效日期，如 2021-09-01。"]
            return None
    try:
        in_cycle(project, value, field)
    except ServiceError as refusal:
        errors.update(refusal.errors)
    return value


def add_stage(*, actor, project, data: dict) -> Stage:
    require(actor, "projects.edit_project", project)
    errors = {}
    name = text(data, "name", "阶段名称", errors, limit=100)
    starts = _day(data, "starts_on", "开始日期", errors, project)
    ends = _day(data, "ends_on", "结束日期", errors, project)
    work = text(data, "work", "工作内容", errors, required=False, limit=2000)
    if starts and ends and ends < starts and "ends_on" not in errors:
        errors["ends_on"] = ["结束日期不能早于开始日期。"]
    if errors:
        raise ServiceError("实施阶段有内容需要修改。", errors=errors)
    with transaction.atomic():
        number = (project.stages.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        stage = Stage.objects.create(
            project=project, number=number, name=name, starts_on=starts, ends_on=ends, work=work
        )
        log_action("budgets.stage.add", actor=actor, obj=stage, changes={"阶段": [None, f"{name} {starts}～{ends}"]})
    return stage


def add_milestone(*, actor, project, data: dict) -> Milestone:
    require(actor, "projects.edit_project", project)
    errors = {}
    title = text(data, "title", "里程碑", errors, limit=200)
    owner = text(data, "owner", "负责人", errors, limit=50)
    due = _day(data, "due_on", "完成期限", errors, project)
    stage = None
    if data.get("stage"):
        stage = (
            project.stages.filter(pk=stage_pk).first() if (stage_pk := parse_id(data["stage"])) is not None else None
        )
        if stage is None:
            errors["stage"] = ["所选阶段不属于本项目。"]
    if errors:
        raise ServiceError("里程碑有内容需要修改。", errors=errors)
    with transaction.atomic():
        milestone = Milestone.objects.create(project=project, stage=stage, title=title, owner=owner, due_on=due)
        log_action("budgets.milestone.add", actor=actor, obj=milestone, changes={"里程碑": [None, f"{title} {due}"]})
    return milestone


def complete_milestone(*, actor, milestone: Milestone, done_on: date) -> Milestone:
    require(actor, "projects.edit_project", milestone.project)
    errors = {}
    day = _day({"done_on": done_on}, "done_on", "完成日期", errors, milestone.project)
    if errors:
        raise ServiceError("完成日期有误。", errors=errors)
    with transaction.atomic():
        before = snapshot(milestone, ["status", "done_on"])
        milestone.status, milestone.done_on = MilestoneStatus.DONE, day
        milestone.save(update_fields=["status", "done_on"])
        audit_change("budgets.milestone.complete", actor=actor, obj=milestone, before=before)
    return milestone


TASK_COLUMNS = (  # field, label, limit — the seed's twelve columns, 序号 being the task's number
    ("direction", "资金投入方向", 200),
    ("name", "工作任务名称", 200),
    ("requirement", "任务要求/目标", 2000),
    ("nature", "任务性质", 50),
    ("method", "实施方式", 2000),
    ("standard", "实施标准", 2000),
    ("workload", "工作量", 2000),
    ("deadline", "完成时限", 50),
    ("note", "备注", 200),
    ("case_type", "案例类型", 50),
    ("implementer", "实施单位", 100),
)
OPTIONAL = {"note", "case_type"}


def save_task(*, actor, project, data: dict, task: Task | None = None) -> Task:
    require(actor, "projects.edit_project", project)
    errors = {}
    values = {
        field: text(data, field, label, errors, required=field not in OPTIONAL, limit=limit)
        for field, label, limit in TASK_COLUMNS
    }
    line = None
    if data.get("line"):
        line_pk = parse_id(data["line"])
        line = BudgetLine.objects.filter(plan__project=project, pk=line_pk).first() if line_pk is not None else None
        if line is None:
            errors["line"] = ["所选预算项目不属于本项目的用款方案。"]
    if errors:
        raise ServiceError("任务有内容需要修改。", errors=errors)
    with transaction.atomic():
        if task is None:
            number = (project.tasks.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            task = Task(project=project, number=number)
            before = {}
        else:
            before = snapshot(task, list(values) + ["line"])
        for field, value in values.items():
            setattr(task, field, value)
        task.line = line
        task.save()
        audit_change(
            "budgets.task.save", actor=actor, obj=task, before=before, after=snapshot(task, list(values) + ["line"])
        )
    return task


def complete_task(*, actor, task: Task, done_on, evidence: str) -> Task:
    require(actor, "projects.edit_project", task.project)
    errors = {}
    day = _day({"done_on": done_on}, "done_on", "完成日期", errors, task.project)
    evidence = text({"evidence": evidence}, "evidence", "完成情况及佐证", errors, limit=2000)
    if errors:
        raise ServiceError("完成情况有内容需要修改。", errors=errors)
    with transaction.atomic():
        before = snapshot(task, ["done_on", "evidence"])
        task.done_on, task.evidence = day, evidence
        task.save(update_fields=["done_on", "evidence"])
        audit_change("budgets.task.complete", actor=actor, obj=task, before=before)
    return task


def remove_stage(*, actor, stage: Stage) -> None:
    """A stage entered by mistake; its milestones stay, no longer tied to it."""
    require(actor, "projects.edit_project", stage.project)
    with transaction.atomic():
        log_action(
            "budgets.stage.remove",
            actor=actor,
            obj=stage,
            changes={"阶段": [f"{stage.name} {stage.starts_on}～{stage.ends_on}", None]},
        )
        stage.delete()


def remove_milestone(*, actor, milestone: Milestone) -> None:
    require(actor, "projects.edit_project", milestone.project)
    if milestone.status == MilestoneStatus.DONE:
        raise ServiceError("已完成的里程碑不能删除。")
    with transaction.atomic():
        log_action(
            "budgets.milestone.remove",
            actor=actor,
            obj=milestone,
            changes={"里程碑": [f"{milestone.title} {milestone.due_on}", None]},
        )
        milestone.delete()


def remove_task(*, actor, task: Task) -> None:
    require(actor, "projects.edit_project", task.project)
    if task.done_on:
        raise ServiceError("已记录完成情况的任务不能删除。")
    with transaction.atomic():
        log_action(
            "budgets.task.remove", actor=actor, obj=task, changes={"任务": [f"{task.number}. {task.name}", None]}
        )
        task.delete()

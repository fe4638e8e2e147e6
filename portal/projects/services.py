"""Writes of progress reports, and the daily sweep that generates due reports and reminds of overdue
milestones and missing reports (each milestone and report at most once a day)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from budgets.choices import MilestoneStatus
from budgets.models import Milestone, MilestoneReminder
from budgets.services.common import audit_change, require, snapshot
from portal.core.exceptions import ServiceError
from portal.core.workflow import move
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Project
from portal.projects import cadence
from portal.projects.models import REPORT_TRANSITIONS, ProgressReport, ReportStatus
from portal.projects.selectors import project_users
from portal.projects.uploads import checked as uploads_checked
from portal.projects.uploads import store

RUNNING = (ProjectStatus.RUNNING, ProjectStatus.EXTENDED)


def generate_reports(project: Project, today: date | None = None) -> int:
    """Due rows for every period of the call's cadence that has begun; existing rows are kept."""
    today = today or timezone.localdate()
    kind = project.call.report_cadence
    rows = [
        ProgressReport(
            project=project, title=cadence.label(start, end, kind), period_start=start, period_end=end, due_on=due
        )
        for start, end, due in cadence.periods(project.starts_on, project.ends, kind)
        if start <= today
    ]
    before = project.progress_reports.count()
    ProgressReport.objects.bulk_create(rows, ignore_conflicts=True)
    return project.progress_reports.count() - before


def _figures(project) -> dict:
    """What the report states beside its text: spending and indicator attainment on the day it is filed."""
    from budgets.selectors import execution, plan_of
    from evaluation.selectors import indicator_rows, summary, table_of

    plan = plan_of(project)
    money = execution(plan) if plan else None
    rows = indicator_rows(table_of(project))
    return {
        "grant": str(money["planned"]) if money else None,
        "spent": str(money["spent"]) if money else None,
        "rate": str(money["rate"]) if money and money["rate"] is not None else None,
        "indicators": {k: (str(v) if v is not None else None) for k, v in summary(rows).items()},
        "tasks_done": project.tasks.filter(done_on__isnull=False).count(),
        "tasks": project.tasks.count(),
    }


def file_report(*, actor, report: ProgressReport, text: str, uploads=()) -> ProgressReport:
    require(actor, "projects.edit_project", report.project)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = ["请填写进展情况。"]
    elif len(text) > 5000:
        errors["text"] = [f"进展情况不能超过 5000 字（现为 {len(text)} 字）。"]
    passed, refusals = uploads_checked(list(uploads))
    if refusals:
        errors["files"] = refusals
    if errors:
        raise ServiceError(
            "进展报告有内容需要修改。" if len(errors) > 1 else next(iter(errors.values()))[0], errors=errors
        )
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        before = snapshot(report, ["status", "text"])
        report.status = move(REPORT_TRANSITIONS, "file", report.status, report.get_status_display())
        report.text, report.filed_at, report.filed_by = text, timezone.now(), actor
        report.figures = _figures(report.project)
        report.save()
        store(passed, report=report)
        audit_change("projects.report.file", actor=actor, obj=report, before=before)
    return report


def review_report(*, actor, report: ProgressReport, action: str, comment: str = "") -> ProgressReport:
    """The level above reads a filed report ("read"), returns it with a comment ("return"), or marks a
    due one not needed with a reason ("waive")."""
    require(actor, "projects.decide_project", report.project)
    comment = (comment or "").strip()
    if action in ("return", "waive") and not comment:
        raise ServiceError("请填写理由。", errors={"comment": ["请填写理由。"]})
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        before = snapshot(report, ["status", "comment", "waiver_reason"])
        report.status = move(REPORT_TRANSITIONS, action, report.status, report.get_status_display())
        if action == "waive":
            report.waiver_reason = comment[:300]
        else:
            report.comment = comment
        report.save()
        audit_change(f"projects.report.{action}", actor=actor, obj=report, before=before)
    if action == "return":
        notify(
            project_users(report.project),
            kind=Kind.RESULT,
            title=f"{report.project.title}：{report.title}进展报告被退回",
            url=reverse("projects:reports", args=[report.project_id]),
        )
    return report


def daily_sweep(today: date | None = None) -> dict:
    """Generates due reports and reminds: run by Celery beat every morning. Safe to run twice a day."""
    today = today or timezone.localdate()
    made = sum(generate_reports(p, today) for p in Project.objects.filter(status__in=RUNNING).select_related("call"))
    reminded = 0
    overdue = Milestone.objects.filter(
        status=MilestoneStatus.OPEN, due_on__lt=today, project__status__in=RUNNING
    ).select_related("project")
    for milestone in overdue:
        try:
            with transaction.atomic():
                MilestoneReminder.objects.create(milestone=milestone, day=today)
        except IntegrityError:
            continue  # already reminded today
        notify(
            project_users(milestone.project),
            kind=Kind.DEADLINE,
            title=f"{milestone.project.title}：里程碑“{milestone.title}”已逾期（期限 {milestone.due_on:%Y-%m-%d}）",
            url=reverse("projects:schedule", args=[milestone.project_id]),
            dedupe_key=f"milestone:{milestone.pk}:{today}",
        )
        reminded += 1
    late = (
        ProgressReport.objects.filter(
            status__in=[ReportStatus.DUE, ReportStatus.RETURNED], due_on__lt=today, project__status__in=RUNNING
        )
        .exclude(reminded_on=today)
        .select_related("project")
    )
    for report in late:
        if ProgressReport.objects.filter(pk=report.pk).exclude(reminded_on=today).update(reminded_on=today):
            notify(
                project_users(report.project),
                kind=Kind.DEADLINE,
                title=f"{report.project.title}：{report.title}进展报告逾期未报（期限 {report.due_on:%Y-%m-%d}）",
                url=reverse("projects:reports", args=[report.project_id]),
                dedupe_key=f"report:{report.pk}:{today}",
            )
            reminded += 1
    return {"reports_made": made, "reminders": reminded}

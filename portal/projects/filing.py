"""Filing the project's 实施方案 (备案): each filing is a new version with its attachments; the level
above acknowledges it or returns it with reasons. Late filings are accepted and marked as late."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budgets.services.common import require, text
from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.core.workflow import move
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.projects.models import FILING_TRANSITIONS, PLAN_SECTIONS, FilingStatus, ImplementationPlan
from portal.projects.selectors import project_users, supervisors
from portal.projects.uploads import checked as uploads_checked
from portal.projects.uploads import store


def due_on(project) -> date:
    return timezone.localdate(project.approved_at) + timedelta(days=project.call.plan_due_days)


def latest(project) -> ImplementationPlan | None:
    return project.implementation_plans.order_by("-number").first()


def file_plan(*, actor, project, sections: dict, uploads: list[tuple[str, bytes]] = ()) -> ImplementationPlan:
    require(actor, "projects.edit_project", project)
    current = latest(project)
    if current and current.status != FilingStatus.RETURNED:
        raise ServiceError(
            f"实施方案第 {current.number} 版{current.get_status_display()}，"
            + ("等待上级备案，不能重复报备。" if current.status == FilingStatus.FILED else "无需再次报备。")
        )
    errors = {}
    clean = {key: text(sections, key, label, errors, limit=limit) for key, label, limit in PLAN_SECTIONS}
    passed, refusals = uploads_checked(list(uploads))
    if refusals:
        errors["files"] = refusals
    if errors:
        raise ServiceError("实施方案有内容需要修改。", errors=errors)
    with transaction.atomic():
        number = (current.number if current else 0) + 1
        plan = ImplementationPlan.objects.create(project=project, number=number, sections=clean, filed_by=actor)
        store(passed, plan=plan)
        late = timezone.localdate() > due_on(project)
        log_action(
            "projects.implementation.file",
            actor=actor,
            obj=plan,
            changes={"实施方案": [current.number if current else None, number]},
            data={"files": [n for n, _, _ in passed], "late": late},
        )
    notify(
        supervisors(project),
        kind=Kind.TO_REVIEW,
        title=f"{project.title}：实施方案第 {number} 版待备案",
        url=reverse("projects:implementation", args=[project.pk]),
    )
    return plan


def review_plan(*, actor, plan: ImplementationPlan, action: str, reasons: str = "") -> ImplementationPlan:
    require(actor, "projects.decide_project", plan.project)
    reasons = (reasons or "").strip()
    if action == "return" and not reasons:
        raise ServiceError("请填写退回理由。", errors={"reasons": ["请填写退回理由。"]})
    with transaction.atomic():
        plan = ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
        before = plan.status
        plan.status = move(FILING_TRANSITIONS, action, plan.status, plan.get_status_display())
        plan.reasons, plan.reviewed_by, plan.reviewed_at = reasons, actor, timezone.now()
        plan.save()
        log_action(
            f"projects.implementation.{action}",
            actor=actor,
            obj=plan,
            changes={"status": [before, plan.status]},
            data={"reasons": reasons},
        )
    notify(
        project_users(plan.project),
        kind=Kind.RESULT,
        title=f"{plan.project.title}：实施方案" + ("已备案" if action == "acknowledge" else "被退回修改"),
        url=reverse("projects:implementation", args=[plan.project_id]),
    )
    return plan

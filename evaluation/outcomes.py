"""Outcomes and 动态调整: the organiser decides per project 通过 (with a grade), 限期整改 (a date and
the items to rectify) or 撤销 (the project ends and its remaining budget is frozen); an acceptance
gives 通过 or 不通过. A decision is immutable; changing a published one is a new decision that says
why. Rectification is filed and re-examined; a missed date escalates once. A project applies for
acceptance, and after 不通过 may apply once more."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budgets.services.common import require
from evaluation.models import (
    ACCEPTANCE_ATTEMPTS,
    ENTRY_TRANSITIONS,
    RECTIFICATION_TRANSITIONS,
    ROUND_TRANSITIONS,
    Decision,
    EntryStatus,
    Grade,
    Outcome,
    Rectification,
    RectificationStatus,
    RoundEntry,
    RoundKind,
    RoundStatus,
    Selection,
)
from evaluation.scope import manages
from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.core.workflow import move
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Project
from portal.projects.selectors import project_users

REASONS_LIMIT = 1000
NEEDS_REASONS = (Outcome.RECTIFY, Outcome.REVOKE, Outcome.FAIL)


def _remaining(project):
    from budgets.selectors import execution, plan_of

    plan = plan_of(project)
    return execution(plan)["remaining"] if plan else None


def _project_status(project: Project, kind: str, outcome: str, previous: str) -> str:
    """What a decision does to the project; a changed decision undoes what the previous one did."""
    running = ProjectStatus.EXTENDED if project.extended_ends_on else ProjectStatus.RUNNING
    if outcome == Outcome.REVOKE:
        return ProjectStatus.TERMINATED
    if kind == RoundKind.ACCEPTANCE and outcome == Outcome.PASS:
        return ProjectStatus.ACCEPTED
    if previous == Outcome.REVOKE or (kind == RoundKind.ACCEPTANCE and previous == Outcome.PASS):
        return running
    return project.status


def _items(raw) -> list[str]:
    lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    return [str(x).strip()[:300] for x in lines if str(x).strip()]


def decide(
    *,
    actor,
    entry: RoundEntry,
    outcome: str,
    grade: str = "",
    reasons: str = "",
    rectify_by: date | None = None,
    rectify_items=(),
    change_reason: str = "",
) -> Decision:
    if not manages(actor, entry.round):
        raise PermissionError("evaluation.manage_rounds")
    reasons = str(reasons or "").strip().replace("\x00", "")
    change_reason = str(change_reason or "").strip().replace("\x00", "")
    items = _items(rectify_items)
    errors: dict[str, list[str]] = {}
    if outcome not in entry.round.outcomes:
        errors["outcome"] = [
            "请选择本次评估可作出的结论：" + "、".join(Outcome(o).label for o in entry.round.outcomes) + "。"
        ]
    if outcome in NEEDS_REASONS and not reasons:
        errors["reasons"] = [f"结论为“{Outcome(outcome).label}”时须写明理由。"]
    elif len(reasons) > REASONS_LIMIT:
        errors["reasons"] = [f"理由不能超过 {REASONS_LIMIT} 字。"]
    if outcome == Outcome.PASS and entry.round.grades:
        if grade not in Grade.values:
            errors["grade"] = ["请评定等级（优秀、良好或合格）。"]
    else:
        grade = ""
    if outcome == Outcome.RECTIFY:
        if rectify_by is None or rectify_by <= timezone.localdate():
            errors["rectify_by"] = ["请填写晚于今天的整改期限。"]
        if not items:
            errors["rectify_items"] = ["请列出整改事项（每行一项）。"]
    if errors:
        raise ServiceError("评估结论有内容需要修改。", errors=errors)
    if outcome != Outcome.RECTIFY:  # a date or items sent with another outcome are no part of it
        rectify_by, items = None, []
    with transaction.atomic():
        current = RoundEntry.objects.select_for_update(of=("self",)).select_related("round", "project").get(pk=entry.pk)
        target = move(ENTRY_TRANSITIONS, "decide", current.status)
        if current.status == EntryStatus.DECIDED and not change_reason:
            raise ServiceError(
                "已作出的结论只能以新的决定变更，请写明变更理由。", errors={"change_reason": ["请写明变更理由。"]}
            )
        project = Project.objects.select_for_update().get(pk=current.project_id)
        previous = current.outcome
        decision = Decision.objects.create(
            entry=current,
            number=current.decisions.count() + 1,
            outcome=outcome,
            grade=grade,
            reasons=reasons,
            change_reason=change_reason,
            rectify_by=rectify_by,
            rectify_items=items,
            frozen_amount=_remaining(project) if outcome == Outcome.REVOKE else None,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        if outcome == Outcome.RECTIFY:
            Rectification.objects.create(decision=decision, entry=current, due_on=rectify_by)
        status = _project_status(project, current.round.kind, outcome, previous)
        if status != project.status:
            log_action(
                "projects.status",
                actor=actor,
                obj=project,
                changes={"status": [project.status, status]},
                data={"decision": decision.pk},
            )
            project.status = status
            project.save(update_fields=["status"])
        before = (current.status, current.outcome, current.grade)
        current.status, current.outcome, current.grade = target, outcome, grade
        current.save(update_fields=["status", "outcome", "grade"])
        log_action(
            "evaluation.decide" if not change_reason else "evaluation.decide.change",
            actor=actor,
            obj=project,
            changes={"outcome": [before[1], outcome], "grade": [before[2], grade]},
            data={
                "entry": current.pk,
                "decision": decision.number,
                "reasons": reasons,
                "change_reason": change_reason,
                "rectify_by": str(rectify_by or ""),
                "items": items,
                "frozen": str(decision.frozen_amount) if decision.frozen_amount is not None else None,
            },
        )
    if current.round.status == RoundStatus.PUBLISHED or outcome == Outcome.RECTIFY:
        notify(
            project_users(project),
            kind=Kind.RESULT,
            title=f"{current.round.title}：{Outcome(outcome).label}",
            body=reasons,
            url=reverse("evaluation:entry", args=[current.pk]),
        )
    return decision


def publish(*, actor, round_) -> None:
    """Publishes the round's outcomes on the public page (with a notice period if the round has one)."""
    if not manages(actor, round_):
        raise PermissionError("evaluation.manage_rounds")
    with transaction.atomic():
        from evaluation.models import EvaluationRound

        current = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
        target = move(ROUND_TRANSITIONS, "publish", current.status)
        waiting = current.entries.exclude(status=EntryStatus.DECIDED).count()
        if waiting or not current.entries.exists():
            raise ServiceError(f"尚有 {waiting} 个项目未作出结论，不能公布。" if waiting else "本批次没有参评项目。")
        current.status, current.published_at = target, timezone.now()
        current.save(update_fields=["status", "published_at"])
        log_action(
            "evaluation.round.publish",
            actor=actor,
            obj=current,
            changes={"status": [RoundStatus.OPEN, RoundStatus.PUBLISHED]},
        )
    for entry in current.entries.select_related("project"):
        notify(
            project_users(entry.project),
            kind=Kind.RESULT,
            title=f"{current.title}：结论为{entry.get_outcome_display()}{entry.grade}",
            url=reverse("evaluation:entry", args=[entry.pk]),
        )


def file_rectification(*, actor, rectification: Rectification, report: str) -> Rectification:
    project = rectification.entry.project
    require(actor, "projects.edit_project", project)
    report = str(report or "").strip().replace("\x00", "")
    if not report:
        raise ServiceError("请填写整改报告。", errors={"report": ["请填写整改报告。"]})
    if len(report) > 3000:
        raise ServiceError(
            "整改报告过长。", errors={"report": [f"整改报告不能超过 3000 字（现为 {len(report)} 字）。"]}
        )
    with transaction.atomic():
        current = Rectification.objects.select_for_update().get(pk=rectification.pk)
        current.status, current.report = move(RECTIFICATION_TRANSITIONS, "file", current.status), report
        current.filed_at, current.filed_by = timezone.now(), actor
        current.save()
        log_action(
            "evaluation.rectification.file",
            actor=actor,
            obj=project,
            changes={"status": [RectificationStatus.DUE, RectificationStatus.FILED]},
            data={"rectification": current.pk, "late": current.due_on < timezone.localdate()},
        )
    return current


def review_rectification(
    *, actor, rectification: Rectification, passed: bool, grade: str = "", reasons: str = ""
) -> Decision:
    """复核: passing makes a new 通过 decision; failing one removes the project (撤销) with the reasons."""
    entry = rectification.entry
    if not manages(actor, entry.round):
        raise PermissionError("evaluation.manage_rounds")
    status = move(RECTIFICATION_TRANSITIONS, "pass" if passed else "fail", rectification.status)
    with transaction.atomic():
        decision = decide(
            actor=actor,
            entry=entry,
            outcome=Outcome.PASS if passed else Outcome.REVOKE,
            grade=grade,
            reasons=reasons,
            change_reason="整改复核" + ("通过" if passed else "不通过"),
        )
        Rectification.objects.filter(pk=rectification.pk).update(status=status)
        log_action(
            "evaluation.rectification.review",
            actor=actor,
            obj=entry.project,
            changes={"status": [RectificationStatus.FILED, status]},
            data={"rectification": rectification.pk},
        )
    return decision


def escalate_overdue(today: date | None = None) -> int:
    """Rectifications past their date and not filed: each escalated once, to the organiser and the project."""
    today = today or timezone.localdate()
    count = 0
    for r in Rectification.objects.filter(
        status=RectificationStatus.DUE, due_on__lt=today, escalated_on__isnull=True
    ).select_related("entry__round__created_by", "entry__project"):
        if not Rectification.objects.filter(pk=r.pk, escalated_on__isnull=True).update(escalated_on=today):
            continue
        url = reverse("evaluation:entry", args=[r.entry_id])
        title = f"{r.entry.project.title}：整改期限（{r.due_on:%Y-%m-%d}）已过，尚未提交整改报告"
        notify(
            list(project_users(r.entry.project)) + ([r.entry.round.created_by] if r.entry.round.created_by else []),
            kind=Kind.DEADLINE,
            title=title,
            url=url,
            dedupe_key=f"rectification:{r.pk}",
        )
        log_action(
            "evaluation.rectification.escalate",
            actor=None,
            obj=r.entry.project,
            data={"rectification": r.pk, "due_on": str(r.due_on)},
        )
        count += 1
    return count


def apply_for_acceptance(*, actor, round_, project: Project) -> RoundEntry:
    require(actor, "projects.edit_project", project)
    if (
        round_.kind != RoundKind.ACCEPTANCE
        or round_.selection != Selection.APPLIED
        or round_.call_id != project.call_id
    ):
        raise ServiceError("该评估批次不接受本项目的验收申请。")
    if round_.status != RoundStatus.OPEN or timezone.now() > round_.self_due_at:
        raise ServiceError("验收申请已截止。")
    if project.status not in (ProjectStatus.RUNNING, ProjectStatus.EXTENDED):
        raise ServiceError(f"项目状态为“{project.get_status_display()}”，不能申请验收。")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        earlier = RoundEntry.objects.filter(project=project, round__kind=RoundKind.ACCEPTANCE)
        if earlier.exclude(status=EntryStatus.DECIDED).exists():
            raise ServiceError("本项目的验收申请正在办理中。")
        failed = earlier.filter(outcome=Outcome.FAIL).count()
        if failed >= ACCEPTANCE_ATTEMPTS:
            raise ServiceError("验收不通过后只可在整改后再申请一次，本项目已申请过两次。")
        attempt = failed + 1
        if RoundEntry.objects.filter(round=round_, project=project, attempt=attempt).exists():
            raise ServiceError("本项目已在本批次申请验收。")
        entry = RoundEntry.objects.create(round=round_, project=project, attempt=attempt)
        log_action(
            "evaluation.acceptance.apply", actor=actor, obj=project, data={"entry": entry.pk, "attempt": attempt}
        )
    return entry

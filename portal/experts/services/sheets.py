"""Score sheets: drafts, submission, changes until the panel closes; closing the panel."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.experts import selectors
from portal.experts.models import Assignment, AssignmentStatus, Panel, PanelStatus
from portal.experts.scoring import read_sheet
from portal.notifications.models import Kind
from portal.notifications.services import notify


def save_sheet(
    *, actor, assignment: Assignment, points: dict, comments: dict, comment: str, submit: bool = False
) -> Assignment:
    """points/comments keyed by criterion number (text). A draft keeps whatever is valid so far."""
    if assignment.expert.user_id != actor.pk:
        raise ServiceError("只能填写分配给自己的评分表。")
    with transaction.atomic():
        current = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("panel", "application")
            .get(pk=assignment.pk)
        )
        if current.panel.status != PanelStatus.OPEN:
            raise ServiceError("专家组评审已结束，评分不能再修改。")
        if current.status == AssignmentStatus.CONFLICT:
            raise ServiceError("您已申请回避，不能评分。")
        rubric = selectors.rubric_for(current.panel.call, current.application.applicant_kind)
        if rubric is None:
            raise ServiceError("本批次尚未设置评分表，请联系省级管理员。")
        criteria = list(rubric.criteria.all())
        sheet, errors, total = read_sheet(criteria, points, comments, comment, submit=submit)
        if errors and submit:
            raise ServiceError(f"评分表有 {len(errors)} 处需要修改。", errors=errors)
        before_total, before_status = current.total, current.status
        current.scores, current.comment, current.total = sheet, comment.strip(), total
        if submit:
            current.status = AssignmentStatus.SUBMITTED
            current.submitted_at = current.submitted_at or timezone.now()
        current.save()
        if submit or before_status == AssignmentStatus.SUBMITTED:
            # Every submitted score, and every change to one, is on the record.
            action = "experts.score.submit" if before_status != AssignmentStatus.SUBMITTED else "experts.score.change"
            log_action(
                action,
                actor=actor,
                obj=current.application,
                changes={"total": [before_total, current.total]} if before_total != current.total else None,
                data={"panel": current.panel_id, "expert": current.expert_id, "total": current.total, "scores": sheet},
            )
    return current


def close_panel(*, actor, panel: Panel) -> Panel:
    if not actor.has_perm("experts.manage"):
        raise ServiceError("只有省级管理员可以结束评审。")
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status == PanelStatus.CLOSED:
            raise ServiceError("专家组评审已结束。")
        waiting = panel.assignments.filter(status=AssignmentStatus.ASSIGNED).count()
        if waiting:
            raise ServiceError(f"尚有 {waiting} 份评分未提交，不能结束评审。")
        if not panel.assignments.filter(status=AssignmentStatus.SUBMITTED).exists():
            raise ServiceError("还没有任何评分。")
        panel.status, panel.closed_at = PanelStatus.CLOSED, timezone.now()
        panel.save(update_fields=["status", "closed_at"])
        log_action("experts.panel.close", actor=actor, obj=panel)
    notify(
        [panel.leader.user],
        kind=Kind.TO_REVIEW,
        title=f"{panel.name}：评审已结束，请签署专家组评审意见",
        url=reverse("experts:leader", args=[panel.pk]),
    )
    return panel


def order_list_by_panel(*, actor, panel: Panel) -> None:
    """The panel's ranking becomes the order of the expert level's list the administrator receives."""
    from portal.experts.results import panel_results
    from portal.review.models import ListEntry, ListStatus

    order = {row.application.pk: i for i, row in enumerate(panel_results(panel), 1)}
    entries = list(
        ListEntry.objects.filter(
            list__call=panel.call, list__level="expert", list__status=ListStatus.OPEN, application_id__in=order
        ).order_by("list_id", "pk")
    )
    for entry in entries:
        entry.rank = order[entry.application_id]
    ListEntry.objects.bulk_update(entries, ["rank"])
    if entries:
        log_action("experts.list.order", actor=actor, obj=panel, data={str(e.application_id): e.rank for e in entries})

"""Giving applications to experts: automatically (k each, balanced, 回避 respected), by hand, and
again when an expert declares a conflict."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.experts import selectors
from portal.experts.avoidance import avoid_paths, cities_under, conflicts
from portal.experts.models import Assignment, AssignmentStatus, Panel, PanelStatus
from portal.experts.planning import plan
from portal.notifications.models import Kind
from portal.notifications.services import notify


def _open(panel: Panel) -> None:
    if panel.status != PanelStatus.OPEN:
        raise ServiceError("专家组评审已结束。")


def _avoidance(panel: Panel) -> dict:
    members = list(panel.members.filter(is_active=True).select_related("user__organisation", "region"))
    cities = cities_under(panel.call.organisation.path)
    return {m.pk: (m, avoid_paths(m, cities=cities)) for m in members}


def _create(panel, pairs, actor, how: str) -> list[Assignment]:
    made = Assignment.objects.bulk_create(Assignment(panel=panel, application_id=a, expert_id=e) for a, e in pairs)
    for assignment in made:
        log_action(
            "experts.assign",
            actor=actor,
            obj=assignment.application,
            data={"panel": panel.pk, "expert": assignment.expert_id, "how": how},
        )
    by_expert: dict[int, int] = {}
    for _a, e in pairs:
        by_expert[e] = by_expert.get(e, 0) + 1
    experts = {m.pk: m for m in panel.members.select_related("user")}
    for expert_id, count in by_expert.items():
        notify(
            [experts[expert_id].user],
            kind=Kind.TO_REVIEW,
            title=f"{panel.name}：新分配 {count} 份评审任务",
            url=reverse("experts:task_list"),
        )
    return made


def auto_assign(*, actor, panel: Panel, applications=None) -> dict:
    """Fills every application up to the panel's k experts. Returns {"made": n, "short": {application: missing}}."""
    if not actor.has_perm("experts.manage"):
        raise ServiceError("只有省级管理员可以分配评审任务。")
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        _open(panel)
        pool = _avoidance(panel)
        apps = applications if applications is not None else selectors.panel_applications(panel)
        active = Assignment.objects.filter(panel=panel, status__in=selectors.ACTIVE)
        existing: dict[int, set[int]] = {}
        for a, e in active.values_list("application_id", "expert_id"):
            existing.setdefault(a, set()).add(e)
        load = dict(active.values("expert_id").annotate(n=Count("pk")).values_list("expert_id", "n"))
        excluded = set(
            Assignment.objects.filter(panel=panel, status=AssignmentStatus.CONFLICT).values_list(
                "application_id", "expert_id"
            )
        )
        # An application already with another panel stays there.
        elsewhere = set(
            Assignment.objects.filter(application__in=[a.pk for a in apps], status__in=selectors.ACTIVE)
            .exclude(panel=panel)
            .values_list("application_id", flat=True)
        )
        result = plan(
            {a.pk: a.applicant.path for a in apps if a.pk not in elsewhere},
            {pk: paths for pk, (_, paths) in pool.items()},
            panel.experts_per_application,
            existing=existing,
            load=load,
            excluded=excluded,
        )
        made = _create(panel, result.pairs, actor, "auto")
    return {"made": len(made), "short": result.short}


def assign(*, actor, panel: Panel, application, expert) -> Assignment:
    if not actor.has_perm("experts.manage"):
        raise ServiceError("只有省级管理员可以分配评审任务。")
    _open(panel)
    pool = _avoidance(panel)
    if expert.pk not in pool:
        raise ServiceError("该专家不是本专家组的在库成员。")
    if conflicts(pool[expert.pk][1], application.applicant.path):
        raise ServiceError(f"{expert} 与 {application.applicant.name} 属同一单位或同一地市，须回避。")
    if Assignment.objects.filter(application=application, expert=expert).exists():
        raise ServiceError(f"{expert} 已分配过这份申请（或已申请回避）。")
    with transaction.atomic():
        return _create(panel, [(application.pk, expert.pk)], actor, "manual")[0]


def declare_conflict(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """The expert steps aside; the application is given to another eligible member at once."""
    if assignment.expert.user_id != actor.pk:
        raise ServiceError("只能对分配给自己的任务申请回避。")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ServiceError("已提交评分的任务不能再申请回避。")
    if not reason.strip():
        raise ServiceError("请说明回避理由。", errors={"reason": ["请说明回避理由（如：曾参与该单位方案编写）。"]})
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=assignment.panel_id)
        _open(panel)
        Assignment.objects.filter(pk=assignment.pk).update(
            status=AssignmentStatus.CONFLICT, conflict_reason=reason.strip()
        )
        log_action(
            "experts.conflict",
            actor=actor,
            obj=assignment.application,
            data={"panel": panel.pk, "expert": assignment.expert_id, "reason": reason.strip()},
        )
        pool = _avoidance(panel)
        active = Assignment.objects.filter(panel=panel, status__in=selectors.ACTIVE)
        load = dict(active.values("expert_id").annotate(n=Count("pk")).values_list("expert_id", "n"))
        existing = {
            assignment.application_id: set(
                active.filter(application=assignment.application_id).values_list("expert_id", flat=True)
            )
        }
        excluded = set(
            Assignment.objects.filter(panel=panel)
            .filter(Q(status=AssignmentStatus.CONFLICT) | Q(application=assignment.application_id))
            .values_list("application_id", "expert_id")
        )
        result = plan(
            {assignment.application_id: assignment.application.applicant.path},
            {pk: paths for pk, (_, paths) in pool.items()},
            panel.experts_per_application,
            existing=existing,
            load=load,
            excluded=excluded,
        )
        _create(panel, result.pairs, actor, "reassign")
    notify(
        [panel.created_by] if panel.created_by else [],
        kind=Kind.TO_REVIEW,
        title=f"{panel.name}：{assignment.expert} 申请回避",
        body=reason.strip() + ("" if result.pairs else "（无可替换的专家，请手工分配）"),
        url=reverse("experts:panel_detail", args=[panel.pk]),
    )
    assignment.refresh_from_db()
    return assignment

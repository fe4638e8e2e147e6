"""Writes of a 专家指导意见建议表: the level above the school (city or province) forms the guiding panel
from the province's expert pool with the same 回避 as application reviews; each expert notes their
view; the leader writes the summary (指导意见建议汇总) and signs. The school's next submitted version
of the plan is its answer (devplans.submit)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.audit.services import log_action
from portal.core.exceptions import Conflict, ServiceError
from portal.core.workflow import move
from portal.experts.avoidance import avoid_paths, cities_under, conflicts
from portal.experts.models import Expert
from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation
from schools.models import GUIDANCE_TRANSITIONS, DevelopmentPlan, Guidance, GuidanceStatus

SUMMARY_LIMIT = NOTE_LIMIT = 2000
MEMBERS_MAX = 8


def _province_of(organisation) -> Organisation | None:
    return Organisation.objects.filter(code__in=organisation.ancestor_codes(), kind=OrgKind.PROVINCE).first()


def candidates(project) -> list[tuple[Expert, bool]]:
    """The province's active experts, each with whether 回避 keeps them off this school."""
    province = _province_of(project.organisation)
    school_path = project.organisation.path
    pool = (
        Expert.objects.filter(province=province, is_active=True)
        .select_related("user__organisation", "region")
        .order_by("pk")
    )
    cities = cities_under(province.path) if province else {}
    return [(expert, conflicts(avoid_paths(expert, cities=cities), school_path)) for expert in pool]


def _check_authority(actor, project) -> None:
    from portal.projects.selectors import visible_projects

    if not actor.has_perm("schools.assign_guidance") or not visible_projects(actor).filter(pk=project.pk).exists():
        raise PermissionError("schools.assign_guidance")


def assign(*, actor, plan: DevelopmentPlan, leader: Expert | None, members: list[Expert]) -> Guidance:
    """Forms the panel on the plan's newest submitted version."""
    _check_authority(actor, plan.project)
    version = plan.versions.order_by("-number").first()
    if version is None:
        raise ServiceError("学校尚未提交发展规划，不能安排专家指导。")
    if plan.guidance.filter(version=version).exists():
        raise ServiceError(f"第 {version.number} 版已安排专家指导，请等待学校修改后再安排。")
    allowed = {expert.pk: (expert, conflict) for expert, conflict in candidates(plan.project)}
    errors: dict[str, list[str]] = {}
    members = [m for m in {m.pk: m for m in members}.values() if leader is None or m.pk != leader.pk]
    if leader is None:
        errors["leader"] = ["请选择指导专家组长。"]
    if not members:
        errors["members"] = ["请至少选择一名指导专家团队成员。"]
    elif len(members) > MEMBERS_MAX:
        errors["members"] = [f"指导专家团队最多 {MEMBERS_MAX} 人。"]
    for field, chosen in (("leader", [leader] if leader else []), ("members", members)):
        for expert in chosen:
            if expert.pk not in allowed:
                errors.setdefault(field, []).append(f"{expert}不在本省专家库中。")
            elif allowed[expert.pk][1]:
                errors.setdefault(field, []).append(
                    f"{expert}与{plan.project.organisation.name}须回避（本单位或本地市）。"
                )
    if errors:
        raise ServiceError("专家指导安排有误。", errors=errors)
    with transaction.atomic():
        guidance = Guidance.objects.create(plan=plan, version=version, leader=leader, created_by=actor)
        guidance.members.set(members)
        log_action(
            "schools.guidance.assign",
            actor=actor,
            obj=plan.project,
            data={
                "guidance": guidance.pk,
                "version": version.number,
                "leader": leader.pk,
                "members": [m.pk for m in members],
            },
        )
    return guidance


def _expert_of(actor, guidance: Guidance, *, leader_only: bool) -> Expert:
    expert = getattr(actor, "expert", None)
    is_member = expert is not None and guidance.members.filter(pk=expert.pk).exists()
    if expert is None or (expert.pk != guidance.leader_id and (leader_only or not is_member)):
        raise PermissionError("schools.guidance")
    return expert


def _writing(guidance: Guidance) -> Guidance:
    current = Guidance.objects.select_for_update().select_related("plan__project").get(pk=guidance.pk)
    move(GUIDANCE_TRANSITIONS, "write", current.status)
    return current


def write_note(*, actor, guidance: Guidance, text: str) -> Guidance:
    """An expert's own view, which the leader gathers into the summary."""
    expert = _expert_of(actor, guidance, leader_only=False)
    text = str(text or "").strip()
    if len(text) > NOTE_LIMIT:
        raise ServiceError(
            "意见过长。", errors={"note": [f"专家意见不能超过 {NOTE_LIMIT} 字（现为 {len(text)} 字）。"]}
        )
    with transaction.atomic():
        current = _writing(guidance)
        current.notes = {**current.notes, str(expert.pk): text}
        current.save(update_fields=["notes"])
        log_action(
            "schools.guidance.note",
            actor=actor,
            obj=current.plan.project,
            data={"guidance": current.pk, "chars": len(text)},
        )
    return current


def save_summary(*, actor, guidance: Guidance, summary: str, expected_version: int) -> Guidance:
    _expert_of(actor, guidance, leader_only=True)
    summary = str(summary or "").strip()
    if len(summary) > SUMMARY_LIMIT:
        raise ServiceError(
            "汇总过长。",
            errors={"summary": [f"指导意见建议汇总不能超过 {SUMMARY_LIMIT} 字（现为 {len(summary)} 字）。"]},
        )
    with transaction.atomic():
        current = _writing(guidance)
        if current.lock_version != expected_version:
            raise Conflict(
                "指导意见已在其他窗口保存过，您的修改未保存。请刷新页面后再合并。",
                current_version=current.lock_version,
                updated_by=str(current.leader),
                updated_at=current.summary_saved_at or current.created_at,
            )
        current.summary = summary
        current.lock_version += 1
        current.summary_saved_at = timezone.now()
        current.save(update_fields=["summary", "lock_version", "summary_saved_at"])
        log_action(
            "schools.guidance.summary",
            actor=actor,
            obj=current.plan.project,
            data={"guidance": current.pk, "chars": len(summary)},
        )
    return current


def sign(*, actor, guidance: Guidance) -> Guidance:
    """The leader signs: the table is final and the school sees it."""
    _expert_of(actor, guidance, leader_only=True)
    with transaction.atomic():
        current = _writing(guidance)
        if not current.summary.strip():
            raise ServiceError("请先填写指导意见建议汇总再签署。", errors={"summary": ["请填写指导意见建议汇总。"]})
        current.status, current.signed_at = move(GUIDANCE_TRANSITIONS, "sign", current.status), timezone.now()
        current.save(update_fields=["status", "signed_at"])
        log_action(
            "schools.guidance.sign",
            actor=actor,
            obj=current.plan.project,
            changes={"status": [GuidanceStatus.WRITING, GuidanceStatus.SIGNED]},
            data={"guidance": current.pk},
        )
    return current

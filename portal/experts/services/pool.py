"""The expert pool, panels and rubrics, written by provincial administrators."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.experts.models import Criterion, Expert, Panel, PanelStatus, Rubric
from portal.orgs.choices import OrgKind, Role
from portal.review.selectors import acting_org


def _require_manager(actor) -> None:
    if not actor.has_perm("experts.manage"):
        raise ServiceError("只有省级管理员可以管理专家库和专家组。")


def register_expert(*, actor, user, field: str, region=None, gender: str = "") -> Expert:
    _require_manager(actor)
    province = acting_org(actor)
    if not user.has_role(Role.EXPERT):
        raise ServiceError(
            "该账户没有“评审专家”角色，请先在用户管理中授予。", errors={"user": ["该账户不是评审专家。"]}
        )
    if not user.organisation or not user.organisation.path.startswith(province.path):
        raise ServiceError("只能登记本省范围内单位的专家。", errors={"user": ["不在本省范围内。"]})
    if region is not None and (region.kind != OrgKind.CITY or not region.path.startswith(province.path)):
        raise ServiceError("所在地市须为本省的设区市。", errors={"region": ["所在地市须为本省的设区市。"]})
    if not field.strip():
        raise ServiceError("请填写专业领域。", errors={"field": ["请填写专业领域。"]})
    if gender not in ("", "男", "女"):
        raise ServiceError("性别只能是“男”或“女”。", errors={"gender": ["性别只能是“男”或“女”。"]})
    expert, created = Expert.objects.update_or_create(
        user=user,
        defaults={
            "field": field.strip(),
            "region": region,
            "province": province,
            "is_active": True,
            "gender": gender,
            "registered_by": actor,
        },
    )
    log_action(
        "experts.expert.register" if created else "experts.expert.update",
        actor=actor,
        obj=expert,
        data={"user": user.get_username(), "field": expert.field, "region": region.code if region else ""},
    )
    return expert


def save_panel(
    *,
    actor,
    call,
    name: str,
    leader: Expert,
    members: list[Expert],
    category=None,
    applicant_kind: str = "",
    experts_per_application: int = 3,
    outlier_margin=Decimal(15),
    panel: Panel | None = None,
) -> Panel:
    _require_manager(actor)
    members = list({m.pk: m for m in [*members, leader]}.values())
    errors = {}
    if not name.strip():
        errors["name"] = ["请填写专家组名称。"]
    if experts_per_application < 1:
        errors["experts_per_application"] = ["每份申请至少由 1 位专家评审。"]
    elif len(members) < experts_per_application:
        errors["members"] = [f"成员（含组长）不少于每份申请的评审专家数（{experts_per_application} 人）。"]
    province = acting_org(actor)
    if any(m.province_id != province.pk or not m.is_active for m in members):
        errors["members"] = ["成员须为本省专家库中的在库专家。"]
    if panel is not None and panel.status == PanelStatus.CLOSED:
        errors["__all__"] = ["专家组评审已结束，不能再修改。"]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        creating = panel is None
        panel = panel or Panel(call=call, created_by=actor)
        panel.name, panel.leader, panel.category = name.strip(), leader, category
        panel.applicant_kind, panel.experts_per_application = applicant_kind, experts_per_application
        panel.outlier_margin = outlier_margin
        panel.save()
        panel.members.set(members)
        log_action(
            "experts.panel.create" if creating else "experts.panel.update",
            actor=actor,
            obj=panel,
            data={"leader": leader.pk, "members": [m.pk for m in members], "k": experts_per_application},
        )
    return panel


def save_rubric(*, actor, call, applicant_kind: str, name: str, criteria: list[dict]) -> Rubric:
    """criteria: [{number, title, guidance, max_points, weight}] replacing the rubric's items."""
    _require_manager(actor)
    if not criteria:
        raise ServiceError("请至少设置一个评分项。")
    if call.panels.filter(assignments__submitted_at__isnull=False).exists():
        raise ServiceError("已有专家提交评分，评分表不能再修改。")
    with transaction.atomic():
        rubric, _ = Rubric.objects.update_or_create(call=call, applicant_kind=applicant_kind, defaults={"name": name})
        rubric.criteria.all().delete()
        Criterion.objects.bulk_create(Criterion(rubric=rubric, **c) for c in criteria)
        log_action(
            "experts.rubric.save",
            actor=actor,
            obj=rubric,
            data={"criteria": [{k: str(v) for k, v in c.items()} for c in criteria]},
        )
    return rubric

"""延期: a project asks for more time with reasons and a revised schedule, within the call's limit
(national 1–2 years, Guangxi 1); the level above recommends; the province decides. Approval moves the
planned end, adds the revised schedule's stages and generates the reports now due."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from budgets.models import Stage
from budgets.services.common import require
from evaluation.models import EXTENSION_TRANSITIONS, Extension, ExtensionStatus
from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.core.workflow import move
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.orgs.choices import OrgKind
from portal.orgs.selectors import scope_paths
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Project
from portal.projects.selectors import project_users, supervisors

REASONS_LIMIT = 1000
STAGES_MAX = 12


def plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def granted_years(project: Project) -> int:
    return project.extensions.filter(status=ExtensionStatus.APPROVED).aggregate(n=Sum("years"))["n"] or 0


def new_end(project: Project, years: int) -> date:
    return plus_years(project.ends_on, granted_years(project) + years)


def province_decides_directly(project: Project) -> bool:
    """A project right under the province (a city zone) has no level between it and the decision."""
    parent = project.organisation.parent
    return parent is None or parent.kind in (OrgKind.PROVINCE, OrgKind.MINISTRY)


def _schedule(rows, project: Project, end: date, errors: dict) -> list[dict]:
    out = []
    for i, row in enumerate(rows or [], 1):
        name = str(row.get("name", "")).strip()[:100]
        work = str(row.get("work", "")).strip()[:1000]
        raw_start, raw_end = str(row.get("starts_on", "")).strip(), str(row.get("ends_on", "")).strip()
        if not (name or work or raw_start or raw_end):
            continue
        try:
            start, finish = date.fromisoformat(raw_start), date.fromisoformat(raw_end)
        except ValueError:
            errors.setdefault("schedule", []).append(f"第{i}行：请填写有效的开始和结束日期，如 2025-09-01。")
            continue
        if not name:
            errors.setdefault("schedule", []).append(f"第{i}行：请填写阶段名称。")
        if finish < start:
            errors.setdefault("schedule", []).append(f"第{i}行：结束日期不能早于开始日期。")
        elif not (project.starts_on <= start <= end and finish <= end):
            errors.setdefault("schedule", []).append(
                f"第{i}行：日期须在延期后的实施周期内（{project.starts_on:%Y-%m-%d} 至 {end:%Y-%m-%d}）。"
            )
        out.append({"name": name, "starts_on": start.isoformat(), "ends_on": finish.isoformat(), "work": work})
    if not out and "schedule" not in errors:
        errors["schedule"] = ["请填写调整后的实施安排（至少一个阶段）。"]
    elif len(out) > STAGES_MAX:
        errors["schedule"] = [f"实施安排最多 {STAGES_MAX} 个阶段。"]
    return out


def request(*, actor, project: Project, years, reasons: str, schedule: list[dict]) -> Extension:
    require(actor, "projects.edit_project", project)
    errors: dict[str, list[str]] = {}
    limit = project.call.extension_years_max
    granted = granted_years(project)
    try:
        years = int(str(years).strip())
    except ValueError:
        years = 0
    if project.status not in (ProjectStatus.RUNNING, ProjectStatus.EXTENDED):
        raise ServiceError(f"项目状态为“{project.get_status_display()}”，不能申请延期。")
    if years < 1:
        errors["years"] = ["请填写延期年限（整数年）。"]
    elif granted + years > limit:
        errors["years"] = [
            f"本批次最长可延期 {limit} 年"
            + (f"，已批准延期 {granted} 年" if granted else "")
            + f"，不能再申请延期 {years} 年。"
        ]
    reasons = str(reasons or "").strip().replace("\x00", "")
    if not reasons:
        errors["reasons"] = ["请填写延期理由。"]
    elif len(reasons) > REASONS_LIMIT:
        errors["reasons"] = [f"延期理由不能超过 {REASONS_LIMIT} 字（现为 {len(reasons)} 字）。"]
    rows = _schedule(schedule, project, new_end(project, max(years, 1)), errors)
    if errors:
        raise ServiceError("延期申请有内容需要修改。", errors=errors)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        if project.extensions.filter(status__in=[ExtensionStatus.REQUESTED, ExtensionStatus.RECOMMENDED]).exists():
            raise ServiceError("已有一份延期申请正在办理。")
        extension = Extension.objects.create(
            project=project,
            years=years,
            reasons=reasons,
            schedule=rows,
            requested_by=actor,
            status=ExtensionStatus.RECOMMENDED if province_decides_directly(project) else ExtensionStatus.REQUESTED,
        )
        log_action(
            "evaluation.extension.request",
            actor=actor,
            obj=project,
            data={"extension": extension.pk, "years": years, "stages": len(rows)},
        )
    notify(
        supervisors(project),
        kind=Kind.TO_REVIEW,
        title=f"{project.title}：申请延期 {years} 年",
        url=reverse("evaluation:project", args=[project.pk]),
    )
    return extension


def recommend(*, actor, extension: Extension, agree: bool, text: str) -> Extension:
    project = extension.project
    require(actor, "projects.decide_project", project)
    text = str(text or "").strip().replace("\x00", "")
    if not text:
        raise ServiceError("请填写推荐意见。", errors={"recommendation": ["请填写推荐意见。"]})
    with transaction.atomic():
        current = Extension.objects.select_for_update().get(pk=extension.pk)
        status = move(EXTENSION_TRANSITIONS, "recommend" if agree else "not_recommend", current.status)
        current.status, current.recommendation, current.recommended_by = status, text, actor
        current.save(update_fields=["status", "recommendation", "recommended_by"])
        log_action(
            "evaluation.extension.recommend",
            actor=actor,
            obj=project,
            changes={"status": [ExtensionStatus.REQUESTED, status]},
            data={"extension": current.pk},
        )
    return current


def may_decide(user, project: Project) -> bool:
    """The organiser of the project's call (the province; the ministry for national calls)."""
    return user.has_perm("evaluation.manage_rounds") and any(
        project.call.organisation.path.startswith(p) for p in scope_paths(user)
    )


def decide(*, actor, extension: Extension, approve: bool, note: str = "") -> Extension:
    project = extension.project
    if not may_decide(actor, project):
        raise PermissionError("evaluation.manage_rounds")
    note = str(note or "").strip().replace("\x00", "")
    if not approve and not note:
        raise ServiceError("请填写不予批准的理由。", errors={"decision_note": ["请填写不予批准的理由。"]})
    with transaction.atomic():
        current = Extension.objects.select_for_update().get(pk=extension.pk)
        status = move(EXTENSION_TRANSITIONS, "approve" if approve else "refuse", current.status)
        project = Project.objects.select_for_update().get(pk=project.pk)
        if approve and granted_years(project) + current.years > project.call.extension_years_max:
            raise ServiceError(f"批准后将超过本批次最长延期 {project.call.extension_years_max} 年。")
        current.status, current.decision_note = status, note
        current.decided_by, current.decided_at = actor, timezone.now()
        current.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        if approve:
            before_end = project.ends
            project.extended_ends_on = plus_years(project.ends_on, granted_years(project))
            project.status = ProjectStatus.EXTENDED
            project.save(update_fields=["extended_ends_on", "status"])
            number = project.stages.order_by("-number").values_list("number", flat=True).first() or 0
            Stage.objects.bulk_create(
                Stage(
                    project=project,
                    number=number + i,
                    name=row["name"],
                    work=row["work"],
                    starts_on=date.fromisoformat(row["starts_on"]),
                    ends_on=date.fromisoformat(row["ends_on"]),
                )
                for i, row in enumerate(current.schedule, 1)
            )
            log_action(
                "projects.extend",
                actor=actor,
                obj=project,
                changes={"ends": [str(before_end), str(project.ends)], "status": [None, ProjectStatus.EXTENDED]},
                data={"extension": current.pk},
            )
        log_action(
            "evaluation.extension.decide",
            actor=actor,
            obj=project,
            changes={"status": [ExtensionStatus.RECOMMENDED, status]},
            data={"extension": current.pk, "note": note},
        )
    if approve:
        from portal.projects.services import generate_reports

        generate_reports(project)
    notify(
        project_users(project),
        kind=Kind.RESULT,
        title=f"{project.title}：延期申请{'已批准' if approve else '未批准'}",
        body=note,
        url=reverse("evaluation:project", args=[project.pk]),
    )
    return current

"""Writes of a school's 校本研修与考核方案: the plan's text and rule, its 科组, teachers and training
calendar, and the two sheets' scores. Every write checks the project permission, refuses bad input
at the field in Chinese and is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from budgets.services.common import audit_change, require, snapshot, text
from portal.audit.services import log_action
from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.orgs.importing.validate import MOBILE_RE, OFFICE_PHONE_RE
from schools import points as ability_points
from schools.models import CapRule, ItemScore, Sheet, SubjectGroup, Teacher, TrainingPlan, TrainingSession
from schools.scoring import Entry, entry_errors, load

SESSION_COLUMNS = (
    ("when", "时间", 30),
    ("content", "内容", 500),
    ("host", "主持人", 60),
    ("participants", "参与人", 100),
    ("form", "形式", 30),
    ("place", "地点", 60),
)
PLAN_LIMITS = {"goals": 3000, "tasks": 5000}
MAX_AWARDS = 20


def plan_of(project) -> TrainingPlan:
    plan, _ = TrainingPlan.objects.get_or_create(project=project)
    return plan


def _refuse(errors: dict, message: str = "有内容需要修改。"):
    if errors:
        raise ServiceError(message, errors=errors)


def save_plan(*, actor, project, data: dict, expected_version: int) -> TrainingPlan:
    require(actor, "projects.edit_project", project)
    errors = {}
    goals = text(data, "goals", "目标与任务", errors, limit=PLAN_LIMITS["goals"])
    tasks = text(data, "tasks", "主要任务", errors, limit=PLAN_LIMITS["tasks"])
    rule = str(data.get("cap_rule") or "")
    if rule not in CapRule.values:
        errors["cap_rule"] = ["请选择加分与分值的计算规则。"]
    _refuse(errors, "校本研修与考核方案有内容需要修改。")
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=plan_of(project).pk)
        if plan.lock_version != expected_version:
            who = plan.updated_by.display_name if plan.updated_by else "其他用户"
            raise Conflict(
                f"方案已被{who}于{timezone.localtime(plan.updated_at):%H:%M}修改，您的修改尚未保存。",
                current_version=plan.lock_version,
                updated_by=who,
                updated_at=plan.updated_at,
            )
        before = snapshot(plan, ["goals", "tasks", "cap_rule"])
        plan.goals, plan.tasks, plan.cap_rule = goals, tasks, rule
        plan.lock_version += 1
        plan.updated_by = actor
        plan.save()
        audit_change("schools.training.save", actor=actor, obj=plan, before=before)
    return plan


def save_group(*, actor, plan: TrainingPlan, data: dict, group: SubjectGroup | None = None) -> SubjectGroup:
    require(actor, "projects.edit_project", plan.project)
    errors = {}
    name = text(data, "name", "学科（科组）", errors, limit=30)
    responsible = text(data, "responsible", "负责人", errors, limit=100)
    codes = [
        c.strip()
        for c in (data.getlist("points") if hasattr(data, "getlist") else data.get("points", []))
        if str(c).strip()
    ]
    known = ability_points.available(plan.project.organisation)
    unknown = [c for c in codes if c not in known]
    if not codes:
        errors["points"] = ["请至少选择一个能力点。"]
    elif unknown:
        errors["points"] = [f"能力点“{'、'.join(unknown)}”不存在，请从能力点清单中选择。"]
    elif len(set(codes)) != len(codes):
        errors["points"] = ["同一能力点只能选择一次。"]
    if name and plan.groups.filter(name=name).exclude(pk=getattr(group, "pk", None)).exists():
        errors["name"] = [f"“{name}”已在本方案中。"]
    _refuse(errors, "科组信息有误。")
    with transaction.atomic():
        creating = group is None
        before = {} if creating else snapshot(group, ["name", "points", "responsible"])
        group = group or SubjectGroup(plan=plan, number=plan.groups.count() + 1)
        group.name, group.points, group.responsible = name, codes, responsible
        group.save()
        audit_change(
            "schools.group.add" if creating else "schools.group.update",
            actor=actor,
            obj=group,
            before=before,
            after=snapshot(group, ["name", "points", "responsible"]),
        )
    return group


def remove_group(*, actor, group: SubjectGroup) -> None:
    require(actor, "projects.edit_project", group.plan.project)
    if group.teachers.exists():
        raise ServiceError(f"“{group.name}”还有教师，请先调整或删除这些教师。")
    with transaction.atomic():
        log_action("schools.group.remove", actor=actor, obj=group, data=snapshot(group, ["name", "points"]))
        group.delete()


def save_teacher(*, actor, plan: TrainingPlan, data: dict, teacher: Teacher | None = None) -> Teacher:
    require(actor, "projects.edit_project", plan.project)
    errors = {}
    name = text(data, "name", "姓名", errors, limit=30)
    group_key = str(data.get("group") or "")
    group = plan.groups.filter(pk=group_pk).first() if (group_pk := parse_id(group_key)) is not None else None
    if group is None:
        errors["group"] = ["请选择本方案中的科组。"]
    phone = text(data, "phone", "电话", errors, required=False, limit=20)
    if phone and not (MOBILE_RE.match(phone) or OFFICE_PHONE_RE.match(phone)):
        errors["phone"] = ["电话应为 11 位手机号码，或只含数字和“-”的固话，如 0769-81234567。"]
    email = text(data, "email", "电子邮箱", errors, required=False, limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["电子邮箱格式不正确。"]
    if name and group and group.teachers.filter(name=name).exclude(pk=getattr(teacher, "pk", None)).exists():
        errors["name"] = [f"{group.name}已有教师“{name}”。"]
    _refuse(errors, "教师信息有误。")
    creating = teacher is None
    fields = ["name", "group", "phone", "email"]
    before = {} if creating else snapshot(teacher, fields)
    with transaction.atomic():
        teacher = teacher or Teacher(plan=plan)
        teacher.name, teacher.group, teacher.phone, teacher.email = name, group, phone, email
        teacher.save()
        audit_change(
            "schools.teacher.add" if creating else "schools.teacher.update",
            actor=actor,
            obj=teacher,
            before=before,
            after=snapshot(teacher, fields),
        )
    return teacher


def remove_teacher(*, actor, teacher: Teacher) -> None:
    require(actor, "projects.edit_project", teacher.plan.project)
    with transaction.atomic():
        log_action("schools.teacher.remove", actor=actor, obj=teacher, data={"name": teacher.name})
        teacher.delete()


def save_session(*, actor, plan: TrainingPlan, data: dict, session: TrainingSession | None = None) -> TrainingSession:
    require(actor, "projects.edit_project", plan.project)
    errors = {}
    values = {field: text(data, field, label, errors, limit=limit) for field, label, limit in SESSION_COLUMNS}
    _refuse(errors, "研修计划有内容需要修改。")
    creating = session is None
    before = {} if creating else snapshot(session, list(values))
    with transaction.atomic():
        session = session or TrainingSession(plan=plan, number=(plan.sessions.count() + 1))
        for field, value in values.items():
            setattr(session, field, value)
        session.save()
        audit_change(
            "schools.session.add" if creating else "schools.session.update",
            actor=actor,
            obj=session,
            before=before,
            after=snapshot(session, list(values)),
        )
    return session


def remove_session(*, actor, session: TrainingSession) -> None:
    require(actor, "projects.edit_project", session.plan.project)
    with transaction.atomic():
        log_action("schools.session.remove", actor=actor, obj=session, data={"when": session.when})
        plan = session.plan
        session.delete()
        for number, row in enumerate(plan.sessions.order_by("number"), 1):  # keep 1…n without gaps
            if row.number != number:
                TrainingSession.objects.filter(pk=row.pk).update(number=number)


def _count(raw, label: str, errors: dict, key: str) -> int:
    raw = str(raw if raw is not None else "").strip()
    if not raw:
        return 0
    number = parse_id(raw)
    if number is None or number > 999:
        errors[key] = [f"{label}须为 0 至 999 的整数。"]
        return 0
    return number


def _score(raw, label: str, errors: dict, key: str):
    from schools.scoring import points

    raw = "" if raw is None else str(raw).strip()
    if not raw:
        return None
    try:
        return points(raw)
    except ValueError as why:
        errors[key] = [f"{label}：{why}。"]
        return None


def record_scores(*, actor, plan: TrainingPlan, subject, rows: dict[int, dict]) -> list[ItemScore]:
    """rows: item number → {self_score, score, missing, extras, awards}. Each item's row replaces the
    one before; errors are keyed item-<n>-<field>."""
    require(actor, "projects.edit_project", plan.project)
    sheet_key = Sheet.GROUP if isinstance(subject, SubjectGroup) else Sheet.TEACHER
    if subject.plan_id != plan.pk:
        raise ServiceError("评分对象不属于本方案。")
    sheet = load(sheet_key)
    numbers = {item.number for item in sheet.items}
    errors, clean = {}, {}
    for number, row in rows.items():
        if number not in numbers:
            errors[f"item-{number}"] = [f"{sheet.title}没有第{number}项。"]
            continue
        item = sheet.item(number)
        key = f"item-{number}"
        self_score = _score(row.get("self_score"), f"第{number}项自评", errors, f"{key}-self_score")
        score = _score(row.get("score"), f"第{number}项得分", errors, f"{key}-score")
        unit = item.deduction.unit if item.deduction else "数量"
        missing = _count(row.get("missing"), f"第{number}项缺少的{unit}", errors, f"{key}-missing")
        extras = _count(row.get("extras"), f"第{number}项增加数", errors, f"{key}-extras")
        # One entry per award won: two cases each winning a 市级 award add 3 twice.
        awards = tuple(str(a) for a in (row.get("awards") or ()) if a)
        if len(awards) > MAX_AWARDS:
            errors[f"{key}-awards"] = [f"第{number}项最多登记 {MAX_AWARDS} 个获奖。"]
            awards = ()
        for value, field in ((self_score, "self_score"), (score, "score")):
            problems = entry_errors(item, Entry(value, missing=missing, extras=extras, awards=awards))
            for name, message in problems.items():
                target = field if name == "score" else name
                errors.setdefault(f"{key}-{target}", [message + "。"])
        clean[number] = {
            "self_score": self_score,
            "score": score,
            "missing": missing,
            "extras": extras,
            "awards": list(awards),
        }
    _refuse(errors, f"{sheet.title}有内容需要修改。")
    subject_field = "group" if sheet_key == Sheet.GROUP else "teacher"
    saved = []
    with transaction.atomic():
        for number, values in sorted(clean.items()):
            existing = ItemScore.objects.filter(sheet=sheet_key, item=number, **{subject_field: subject}).first()
            before = snapshot(existing, list(values)) if existing else {}
            try:
                row, _ = ItemScore.objects.update_or_create(
                    sheet=sheet_key,
                    item=number,
                    **{subject_field: subject},
                    defaults={**values, "plan": plan, "updated_by": actor},
                )
            except IntegrityError:
                raise ServiceError(f"第{number}项已被同时评分，请刷新后再保存。")
            audit_change(
                "schools.score.save",
                actor=actor,
                obj=row,
                before=before,
                after=snapshot(row, list(values)),
                data={"sheet": sheet_key, "subject": str(subject)},
            )
            saved.append(row)
    return saved

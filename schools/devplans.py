"""Writes of a school's 学校信息化教育教学发展规划: the draft (kept as typed, optimistic lock, the editing
session's own saves never conflict), its attachments, and submission as an immutable version. The
form machinery is the application forms' (portal.formspec); what is the plan's own is the check that
the three-year schedule lies inside the project's cycle."""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from budgets.services.common import require
from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import Conflict, ServiceError
from portal.core.workflow import move
from portal.formspec.fields import CallContext, form_class, row_names
from portal.formspec.registry import canonical_json, schema_for
from portal.formspec.values import clean_raw, compute, typed_values
from portal.orgs.choices import OrgKind
from portal.programmes.services.applications import prefill
from schools.models import (
    GUIDANCE_TRANSITIONS,
    DevelopmentPlan,
    DevelopmentPlanFile,
    DevelopmentPlanVersion,
    Guidance,
    GuidanceStatus,
)

FORM_KEY = "school_dev_plan"
MB = 1024 * 1024
FILE_MAX_MB, FILES_MAX_MB = 20, 100
# 2020.9, 2020.09, 2020-9, 2020年9月
MONTH = re.compile(r"^(\d{4})\s*(?:[.\-/]|年)\s*(\d{1,2})\s*月?$")


def plan_of(project) -> DevelopmentPlan:
    """The project's plan, created on first use with the newest definition and the school's header."""
    if project.organisation.kind != OrgKind.SCHOOL:
        raise ServiceError("学校信息化教育教学发展规划只属于实验校项目。")
    try:
        return DevelopmentPlan.objects.select_related("schema").get(project=project)
    except DevelopmentPlan.DoesNotExist:
        schema = schema_for(FORM_KEY)
        plan, _ = DevelopmentPlan.objects.get_or_create(
            project=project, defaults={"schema": schema, "data": prefill(schema.definition, project.organisation)}
        )
        return plan


def _month(value: str):
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


def schedule_errors(project, definition: dict, cleaned: dict) -> dict:
    """Each schedule cell whose month is unreadable, reversed, or outside the project's cycle."""
    errors: dict[str, list[str]] = {}
    spec = definition["fields"].get("schedule")
    if not spec:
        return errors
    first = (project.starts_on.year, project.starts_on.month)
    last = (project.ends.year, project.ends.month)
    cycle = f"{first[0]}.{first[1]}–{last[0]}.{last[1]}"
    for number, row in enumerate(row_names("schedule", spec), 1):
        start_name, end_name = row[0], row[1]
        months = {}
        for name, label in ((start_name, "起始年月"), (end_name, "截止年月")):
            value = (cleaned.get(name) or "").strip()
            where = f"三年实施安排第{number}行{label}："
            if not value:
                continue
            month = _month(value)
            if month is None:
                errors[name] = [f"{where}“{value}”不是年月，请写作 2020.9。"]
            elif not first <= month <= last:
                errors[name] = [f"{where}{value} 不在项目实施周期（{cycle}）内。"]
            else:
                months[name] = month
        if len(months) == 2 and months[start_name] > months[end_name]:
            errors[end_name] = [f"三年实施安排第{number}行：截止年月不能早于起始年月。"]
    return errors


def bound_form(plan: DevelopmentPlan, *, data: dict | None = None, mode: str = "draft"):
    """The plan's form bound to the draft (or `data`), with the schedule's cycle check at its cells."""
    definition = plan.schema.definition
    form = form_class(definition, CallContext())(data=plan.data if data is None else data, mode=mode)
    form.is_valid()  # an invalid form keeps the cleaned values of its valid fields
    for name, messages in schedule_errors(plan.project, definition, form.cleaned_data).items():
        for message in messages:
            if message not in form.errors.get(name, []):
                form.add_error(name, message)
    return form


def _lock(plan: DevelopmentPlan) -> DevelopmentPlan:
    return (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("schema", "project__organisation")
        .get(pk=plan.pk)
    )


def _conflict(current: DevelopmentPlan) -> Conflict:
    who = current.updated_by.display_name if current.updated_by else "其他用户"
    return Conflict(
        f"{who} 已于 {timezone.localtime(current.updated_at):%H:%M:%S} 保存了新的内容，您的修改未保存。"
        "请先复制您的修改，刷新页面后再合并。",
        current_version=current.lock_version,
        updated_by=who,
        updated_at=current.updated_at,
    )


def save_draft(*, actor, plan: DevelopmentPlan, raw: dict, expected_version: int, editor: str = "") -> DevelopmentPlan:
    """Stores the draft as typed unless someone else saved since `expected_version`."""
    require(actor, "projects.edit_project", plan.project)
    with transaction.atomic():
        current = _lock(plan)
        same_editor = bool(editor) and current.updated_in == editor and current.updated_by_id == actor.pk
        if current.lock_version != expected_version and not same_editor:
            raise _conflict(current)
        incoming = clean_raw(current.schema.definition, raw)
        merged = {**current.data, **incoming}
        changed = sorted(k for k in merged if current.data.get(k) != merged.get(k))
        if changed:
            current.data = merged
            current.lock_version += 1
            current.updated_by, current.updated_in = actor, editor
            current.save(update_fields=["data", "lock_version", "updated_by", "updated_in", "updated_at"])
            log_action("schools.devplan.save", actor=actor, obj=current.project, data={"fields": changed[:50]})
    return current


def live_files(plan: DevelopmentPlan):
    return plan.files.filter(removed_at__isnull=True).order_by("pk")


def submit(*, actor, plan: DevelopmentPlan, expected_version: int | None = None) -> DevelopmentPlanVersion:
    """Validates everything and freezes the draft as the next version. A version submitted after signed
    guidance is the school's answer to it."""
    require(actor, "projects.edit_project", plan.project)
    with transaction.atomic():
        current = _lock(plan)
        if expected_version is not None and current.lock_version != expected_version:
            raise _conflict(current)
        form = bound_form(current, mode="submit")
        if form.errors:
            raise ServiceError(
                f"发展规划有 {len(form.errors)} 处需要修改，请按提示修改后再提交。",
                errors={k: list(v) for k, v in form.errors.items()},
            )
        definition = current.schema.definition
        values = typed_values(definition, form.cleaned_data)
        content = {
            "form": {"key": current.schema.key, "version": current.schema.version, "sha256": current.schema.sha256},
            "applicant": {"code": current.project.organisation.code, "name": current.project.organisation.name},
            "values": values,
            "computed": compute(definition, values),
            "attachments": [
                {
                    "id": f.pk,
                    "name": f.original_name,
                    "field": "",
                    "size": f.size,
                    "sha256": f.sha256,
                    "content_type": f.content_type,
                }
                for f in live_files(current)
            ],
        }
        digest = hashlib.sha256(canonical_json(content)).hexdigest()
        version = DevelopmentPlanVersion.objects.create(
            plan=current,
            number=current.version_count + 1,
            schema=current.schema,
            content=content,
            sha256=digest,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        current.version_count = version.number
        current.save(update_fields=["version_count", "updated_at"])
        answered = list(Guidance.objects.select_for_update().filter(plan=current, status=GuidanceStatus.SIGNED))
        for guidance in answered:
            guidance.status, guidance.answer = move(GUIDANCE_TRANSITIONS, "answer", guidance.status), version
            guidance.save(update_fields=["status", "answer"])
        log_action(
            "schools.devplan.submit",
            actor=actor,
            obj=current.project,
            data={"version": version.number, "sha256": digest, "answers": [g.pk for g in answered]},
        )
    return version


def add_file(*, actor, plan: DevelopmentPlan, name: str, data: bytes) -> DevelopmentPlanFile:
    require(actor, "projects.edit_project", plan.project)
    name = files.clean_name(name)
    if not data:
        raise ServiceError(f"“{name}”是空文件。")
    if len(data) > FILE_MAX_MB * MB:
        raise ServiceError(f"“{name}”大小为 {len(data) / MB:.1f} MB，超过单个附件 {FILE_MAX_MB} MB 的上限。")
    try:
        kind = files.sniff(data, name)
    except files.FileRefused as refusal:
        raise ServiceError(str(refusal))
    with transaction.atomic():
        current = _lock(plan)
        used = live_files(current).aggregate(total=Sum("size"))["total"] or 0
        if used + len(data) > FILES_MAX_MB * MB:
            raise ServiceError(f"附件总量将超过 {FILES_MAX_MB} MB 的上限。")
        stored, digest = files.store(data)
        made = DevelopmentPlanFile.objects.create(
            plan=current,
            original_name=name,
            stored_name=stored,
            content_type=kind.content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=actor,
        )
        log_action(
            "schools.devplan.file_add",
            actor=actor,
            obj=current.project,
            data={"file": made.pk, "name": name, "size": len(data), "sha256": digest},
        )
    return made


def remove_file(*, actor, file: DevelopmentPlanFile) -> None:
    require(actor, "projects.edit_project", file.plan.project)
    with transaction.atomic():
        DevelopmentPlanFile.objects.filter(pk=file.pk, removed_at__isnull=True).update(removed_at=timezone.now())
        log_action(
            "schools.devplan.file_remove",
            actor=actor,
            obj=file.plan.project,
            data={"file": file.pk, "name": file.original_name},
        )

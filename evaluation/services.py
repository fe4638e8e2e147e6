"""Writes of the performance-indicator table: its header, indicators with typed targets, actual values
recorded during the project, and the reviewer's verdict on qualitative ones."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from budgets import arithmetic
from budgets.services.common import audit_change, require, snapshot, text
from evaluation.models import Comparator, Indicator, IndicatorKind, PerformanceTable
from portal.audit.services import log_action
from portal.core.exceptions import Conflict, ServiceError

GOAL_LIMIT = 400
HEADER = (
    ("name", "项目名称", 200),
    ("undertaker", "项目承担单位", 200),
    ("supervisor", "市级业务主管部门", 200),
    ("attribute", "项目申报属性", 50),
    ("project_type", "项目类型", 50),
    ("period", "项目实施周期", 50),
    ("content", "支出内容", 2000),
    ("basis", "政策依据", 1000),
    ("goal", "实施周期绩效目标", GOAL_LIMIT),
)


def save_table(*, actor, project, data: dict, expected_version: int | None) -> PerformanceTable:
    require(actor, "projects.edit_project", project)
    errors = {}
    values = {field: text(data, field, label, errors, limit=limit) for field, label, limit in HEADER}
    values["filler"] = str(data.get("filler") or "").strip()[:50]
    if errors:
        raise ServiceError("绩效目标表有内容需要修改。", errors=errors)
    with transaction.atomic():
        table = PerformanceTable.objects.select_for_update().filter(project=project).first()
        if table is None:
            table, before = PerformanceTable(project=project), {}
        else:
            if table.lock_version != expected_version:
                raise Conflict(
                    "绩效目标表已被他人修改，您的修改尚未保存。",
                    current_version=table.lock_version,
                    updated_by="其他用户",
                    updated_at=table.updated_at,
                )
            before = snapshot(table, list(values))
            table.lock_version += 1
        for field, value in values.items():
            setattr(table, field, value)
        table.save()
        audit_change("evaluation.table.save", actor=actor, obj=table, before=before)
    return table


def _number(raw, label: str, field: str, errors: dict, *, kind: str):
    try:
        value = arithmetic.wan(raw)
    except ValueError:
        errors[field] = [f"{label}：请填写数字。"]
        return None
    if kind == IndicatorKind.PERCENT and not 0 <= value <= 100:
        errors[field] = [f"{label}：百分比须在 0 至 100 之间。"]
    return value


def _date(raw, label: str, field: str, errors: dict):
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors[field] = [f"{label}：请填写有效日期，如 2022-07-30。"]
        return None


def add_indicator(*, actor, table: PerformanceTable, data: dict) -> Indicator:
    """A third-level indicator whose target has the type it says: a number for 数量 and 百分比, a date
    for 日期, text for 定性描述 — a mismatch is refused at the target field."""
    require(actor, "projects.edit_project", table.project)
    errors = {}
    fields = {
        field: text(data, field, label, errors, limit=limit)
        for field, label, limit in (("level1", "一级指标", 50), ("level2", "二级指标", 50), ("name", "三级指标", 200))
    }
    kind = data.get("kind")
    if kind not in IndicatorKind.values:
        errors["kind"] = ["请选择目标类型。"]
    comparator = data.get("comparator") or Comparator.GE
    if comparator not in Comparator.values:
        errors["comparator"] = ["请选择比较方式。"]
    target = str(data.get("target") or "").strip()
    if not target:
        errors["target"] = ["请填写目标值。"]
    elif kind in (IndicatorKind.QUANTITY, IndicatorKind.PERCENT):
        fields["target_number"] = _number(target, "目标值", "target", errors, kind=kind)
    elif kind == IndicatorKind.DATE:
        fields["target_date"] = _date(target, "目标日期", "target", errors)
    elif kind == IndicatorKind.TEXT:
        fields["target_text"] = target[:200]
    if errors:
        raise ServiceError("绩效指标有内容需要修改。", errors=errors)
    with transaction.atomic():
        number = (table.indicators.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        indicator = Indicator.objects.create(
            table=table,
            number=number,
            kind=kind,
            comparator=comparator,
            unit=str(data.get("unit") or "").strip()[:20],
            **fields,
        )
        log_action(
            "evaluation.indicator.add",
            actor=actor,
            obj=indicator,
            changes={"三级指标": [None, f"{indicator.name} {target}"]},
        )
    return indicator


def record_actual(*, actor, indicator: Indicator, raw) -> Indicator:
    require(actor, "projects.edit_project", indicator.table.project)
    errors = {}
    before = snapshot(indicator, ["actual_number", "actual_date", "actual_text"])
    raw = str(raw or "").strip()
    if not raw:
        errors["actual"] = ["请填写实际值。"]
    elif indicator.kind in (IndicatorKind.QUANTITY, IndicatorKind.PERCENT):
        indicator.actual_number = _number(raw, "实际值", "actual", errors, kind=indicator.kind)
    elif indicator.kind == IndicatorKind.DATE:
        indicator.actual_date = _date(raw, "实际日期", "actual", errors)
    else:
        indicator.actual_text = raw[:2000]
    if errors:
        raise ServiceError("实际值有误。", errors=errors)
    with transaction.atomic():
        indicator.recorded_at = timezone.now()
        indicator.save()
        audit_change("evaluation.indicator.actual", actor=actor, obj=indicator, before=before)
    return indicator


def judge_qualitative(*, actor, indicator: Indicator, met: bool) -> Indicator:
    require(actor, "projects.decide_project", indicator.table.project)
    if indicator.kind != IndicatorKind.TEXT:
        raise ServiceError("数量、百分比和日期指标由系统自动判定。")
    with transaction.atomic():
        before = snapshot(indicator, ["verdict"])
        indicator.verdict = met
        indicator.save(update_fields=["verdict"])
        audit_change("evaluation.indicator.verdict", actor=actor, obj=indicator, before=before)
    return indicator

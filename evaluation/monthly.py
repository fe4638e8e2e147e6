"""Monthly pilot reports (试点月报) of a call that asks for them: each pilot area and school reports a
month's usage figures by the 5th of the next month; the province sees, per month, who has not
reported, and the figures by city and overall; a daily sweep reminds once per missing month."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budgets.services.common import audit_change, require, snapshot
from evaluation.models import MONTHLY_FIGURES, MonthlyReport
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.orgs.selectors import city_names, city_of
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Project
from portal.projects.selectors import project_users

DUE_DAY = 5  # a month's report is due by the 5th of the next month
FIGURE_MAX = 10_000_000
LIVE = (ProjectStatus.RUNNING, ProjectStatus.EXTENDED)


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(today: date) -> date:
    return first_of(first_of(today) - timedelta(days=1))


def months_between(start: date, end: date) -> list[date]:
    out, month = [], first_of(start)
    while month <= end:
        out.append(month)
        month = next_month(month)
    return out


def due_months(project: Project, today: date | None = None) -> list[date]:
    """Months of the project's cycle that have ended (their report can be filed), oldest first."""
    today = today or timezone.localdate()
    last = min(first_of(project.ends), first_of(today))
    return [m for m in months_between(project.starts_on, last) if m < first_of(today)]


def overdue(month: date, today: date) -> bool:
    return today > next_month(month).replace(day=DUE_DAY)


def _month(raw) -> date | None:
    try:
        text = str(raw).strip()
        return first_of(date.fromisoformat(text + "-01" if len(text) == 7 else text))
    except ValueError:
        return None


def file_month(*, actor, project: Project, month, data: dict) -> MonthlyReport:
    require(actor, "projects.edit_project", project)
    if not project.call.monthly_pilot_reports:
        raise ServiceError("本批次不要求报送试点月报。")
    errors: dict[str, list[str]] = {}
    day = _month(month)
    if day is None:
        errors["month"] = ["请选择月份，如 2026-09。"]
    elif day not in due_months(project):
        errors["month"] = ["只能报送实施周期内已结束的月份。"]
    values = {}
    for field, label in MONTHLY_FIGURES:
        raw = str(data.get(field, "")).strip()
        number = parse_id(raw)
        if number is None or number > FIGURE_MAX:
            errors[field] = [f"{label}：请填写 0 至 {FIGURE_MAX:,} 之间的整数。"]
        else:
            values[field] = number
    problems = str(data.get("problems", "")).strip().replace("\x00", "")
    if len(problems) > 1000:
        errors["problems"] = [f"存在问题不能超过 1000 字（现为 {len(problems)} 字）。"]
    if errors:
        raise ServiceError("试点月报有内容需要修改。", errors=errors)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(project=project, month=day).first()
        before = snapshot(report, [f for f, _ in MONTHLY_FIGURES] + ["problems"]) if report else {}
        report = report or MonthlyReport(project=project, month=day)
        for field, value in values.items():
            setattr(report, field, value)
        report.problems, report.filed_by = problems, actor
        report.save()
        audit_change(
            "evaluation.monthly.file",
            actor=actor,
            obj=project,
            before=before,
            after=snapshot(report, list(before) or [f for f, _ in MONTHLY_FIGURES] + ["problems"]),
            data={"month": day.isoformat()},
        )
    return report


def reporting_projects(projects):
    return projects.filter(call__monthly_pilot_reports=True)


def grid(projects, months: list[date], today: date | None = None) -> list[dict]:
    """Per project: each month reported, missing (overdue), waiting (not yet due) or outside its cycle."""
    today = today or timezone.localdate()
    projects = list(projects.select_related("organisation"))
    filed = set(
        MonthlyReport.objects.filter(project__in=[p.pk for p in projects], month__in=months).values_list(
            "project_id", "month"
        )
    )
    rows = []
    for p in projects:
        cycle = set(months_between(p.starts_on, p.ends))
        cells = []
        for m in months:
            if (p.pk, m) in filed:
                state = "filed"
            elif m not in cycle or m >= first_of(today):
                state = "none"
            else:
                state = "missing" if overdue(m, today) else "waiting"
            cells.append(state)
        rows.append({"project": p, "cells": cells, "missing": cells.count("missing")})
    return rows


def completion(projects, months: list[date], scope_org, today: date | None = None) -> list[dict]:
    """Per month, overall and per city: reports filed ÷ reports due, and the summed usage figures."""
    today = today or timezone.localdate()
    cities = city_names(scope_org.scope_path)
    rows = grid(projects, months, today)
    figures = defaultdict(lambda: defaultdict(int))
    for r in MonthlyReport.objects.filter(project__in=[row["project"].pk for row in rows], month__in=months):
        for field, _ in MONTHLY_FIGURES:
            figures[r.month][field] += getattr(r, field)
    out = []
    for i, m in enumerate(months):
        per_city = defaultdict(lambda: [0, 0])
        for row in rows:
            state = row["cells"][i]
            if state in ("filed", "missing", "waiting"):
                key = city_of(row["project"].organisation.path, cities, "省直")
                per_city[key][1] += 1
                per_city[key][0] += state == "filed"
        filed = sum(v[0] for v in per_city.values())
        due = sum(v[1] for v in per_city.values())
        out.append(
            {
                "month": m,
                "filed": filed,
                "due": due,
                "rate": round(filed * 100 / due, 1) if due else None,
                "cities": {c: (v[0], v[1]) for c, v in sorted(per_city.items())},
                "figures": dict(figures[m]),
            }
        )
    return out


def remind_missing(today: date | None = None) -> int:
    """Once per missing month, after its due day: the project's users are reminded."""
    today = today or timezone.localdate()
    month = previous_month(today)
    if today.day <= DUE_DAY:
        return 0
    count = 0
    live = Project.objects.filter(call__monthly_pilot_reports=True, status__in=LIVE, starts_on__lt=first_of(today))
    for project in live.exclude(monthly_reports__month=month).select_related("call"):
        if month not in due_months(project, today):
            continue
        sent = notify(
            project_users(project),
            kind=Kind.DEADLINE,
            title=f"{project.title}：{month:%Y年%m月}试点月报逾期未报（期限 {next_month(month).replace(day=DUE_DAY):%m月%d日}）",
            url=reverse("evaluation:monthly_project", args=[project.pk]),
            dedupe_key=f"monthly:{project.pk}:{month:%Y-%m}",
        )
        count += bool(sent)
    return count

"""What a self-evaluation states beside its text, pre-filled from what the project recorded: progress
against the schedule, each indicator's actual value with its automatic judgement, budget execution per
line, tasks completed, progress reports. Frozen into the version at submission, so that the report
shows the figures of the day it was filed, not of the day it is read."""

from __future__ import annotations

from django.utils import timezone

from budgets import arithmetic
from budgets.choices import MilestoneStatus
from budgets.selectors import execution, plan_of
from evaluation.selectors import indicator_rows, summary, table_of
from portal.projects.models import PLAN_SECTIONS, ReportStatus

# The report's written parts: key, heading, character limit, hint (the Guangdong plan's 自评 headings).
SECTIONS = (
    ("progress", "实施进展（对照进度安排）", 3000, "按阶段说明已完成的工作、与进度安排的差距及原因。"),
    ("indicators", "绩效目标完成情况", 2000, "对照绩效目标表说明各项指标的完成情况；未达成的说明原因。"),
    ("budget", "资金使用情况", 1500, "说明资金到位、支出进度和使用规范情况。"),
    ("tasks", "任务完成情况", 2000, "对照任务清单说明完成情况。"),
    ("cases", "典型案例与成果", 3000, "列举典型案例、教学模式与成果。"),
    ("problems", "存在问题与下一步措施", 2000, "说明存在的问题及改进措施。"),
)
SECTION_KEYS = tuple(key for key, *_ in SECTIONS)


def _money(value) -> str | None:
    return None if value is None else arithmetic.show(value)


def figures(project, today=None) -> dict:
    today = today or timezone.localdate()
    stages = [
        {"name": s.name, "starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat()}
        for s in project.stages.all()
    ]
    milestones = list(project.milestones.values_list("status", "due_on"))
    rows = indicator_rows(table_of(project))
    plan = plan_of(project)
    money = execution(plan) if plan else None
    tasks = list(project.tasks.order_by("number").values("number", "name", "done_on"))
    reports = list(project.progress_reports.order_by("period_start").values("title", "status", "filed_at", "text"))
    plan_filed = project.implementation_plans.order_by("-number").first()
    return {
        "as_of": today.isoformat(),
        "cycle": {"starts_on": project.starts_on.isoformat(), "ends_on": project.ends.isoformat()},
        "stages": stages,
        "milestones": {
            "total": len(milestones),
            "done": sum(1 for s, _ in milestones if s == MilestoneStatus.DONE),
            "overdue": sum(1 for s, due in milestones if s == MilestoneStatus.OPEN and due < today),
        },
        "indicators": [
            {
                "number": r["indicator"].number,
                "level1": r["indicator"].level1,
                "level2": r["indicator"].level2,
                "name": r["indicator"].name,
                "target": r["target"],
                "actual": r["actual"],
                "met": r["met"],
            }
            for r in rows
        ],
        "attainment": {k: (str(v) if v is not None else None) for k, v in summary(rows).items()},
        "budget": None
        if money is None
        else {
            "lines": [
                {
                    "number": x["line"].number,
                    "category": x["line"].category,
                    "purpose": x["line"].purpose,
                    "amount": _money(x["line"].amount),
                    "spent": _money(x["spent"]),
                    "rate": None if x["rate"] is None else str(x["rate"]),
                }
                for x in money["lines"]
            ],
            "planned": _money(money["planned"]),
            "spent": _money(money["spent"]),
            "remaining": _money(money["remaining"]),
            "rate": None if money["rate"] is None else str(money["rate"]),
        },
        "tasks": {
            "total": len(tasks),
            "done": sum(1 for t in tasks if t["done_on"]),
            "rows": [
                {
                    "number": t["number"],
                    "name": t["name"],
                    "done_on": t["done_on"].isoformat() if t["done_on"] else None,
                }
                for t in tasks
            ],
        },
        "reports": {
            "total": len(reports),
            "filed": sum(1 for r in reports if r["status"] in (ReportStatus.FILED, ReportStatus.READ)),
            # The acceptance dossier reads every progress report as filed.
            "rows": [
                {
                    "title": r["title"],
                    "status": ReportStatus(r["status"]).label,
                    "filed_at": r["filed_at"].date().isoformat() if r["filed_at"] else None,
                    "text": r["text"][:2000],
                }
                for r in reports
            ],
        },
        "implementation_plan": None
        if plan_filed is None
        else {
            "number": plan_filed.number,
            "status": plan_filed.get_status_display(),
            "sections": [{"label": label, "text": plan_filed.sections.get(key, "")} for key, label, _ in PLAN_SECTIONS],
        },
    }

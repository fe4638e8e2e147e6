"""The demo's money and work: the Dongguan zone's 用款方案, 任务清单 and 绩效目标表 exactly as in
its 2021 documents (amounts, lines, stages, task, indicators — `fixtures/projects/dongguan-2021.json`),
approved by the province; and two other zones, one with an adjustment awaiting approval, one behind
schedule (scenarios set against today's date). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from budgets.models import SpendingPlan
from budgets.services import plans, schedule, spending
from evaluation import services as indicators
from portal.core import fixtures
from portal.orgs.models import User

DONGGUAN = fixtures.read_json("projects/dongguan-2021.json")
LINES, TASK, HEADER = DONGGUAN["lines"], DONGGUAN["task"], DONGGUAN["indicator_table"]


def indicator_rows(year: int) -> list[dict]:
    """The seed's five indicators; the completion date moves with the demo year (2022年7月30日 in 2021's plan)."""
    return [{**row, "target": fixtures.dated(row["target"], year)} for row in DONGGUAN["indicators"]]


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def _day(text: str, year: int) -> date:
    return date.fromisoformat(fixtures.dated(text, year))


def dongguan_plan(project, year: int) -> None:
    if SpendingPlan.objects.filter(project=project).exists():
        return
    city, province = User.objects.get(username="dg_city"), User.objects.get(username="gd_province")
    plan = plans.save_plan(
        actor=city,
        project=project,
        grant=DONGGUAN["grant"],
        source=DONGGUAN["source"],
        goal=DONGGUAN["goal"],
        rows=LINES,
        expected_version=None,
    )
    plan = plans.submit_plan(actor=city, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=province, plan=plan, approve=True, text="同意该用款方案，请严格按方案执行。")
    for stage in DONGGUAN["stages"]:
        schedule.add_stage(
            actor=city,
            project=project,
            data={
                "name": stage["name"],
                "starts_on": date(year, stage["first_month"], 1),
                "ends_on": _month_end(year, stage["last_month"]),
                "work": stage["work"],
            },
        )
    stages = list(project.stages.all())
    for row in DONGGUAN["milestones"]:
        due = _day(row["due_on"], year)
        m = schedule.add_milestone(
            actor=city,
            project=project,
            data={"title": row["title"], "owner": row["owner"], "due_on": due, "stage": stages[row["stage"] - 1].pk},
        )
        if row["done"]:
            schedule.complete_milestone(actor=city, milestone=m, done_on=due - timedelta(days=3))
    schedule.save_task(actor=city, project=project, data={**TASK, "line": ""})
    table = indicators.save_table(actor=city, project=project, data=HEADER, expected_version=None)
    for row in indicator_rows(year):
        indicators.add_indicator(actor=city, table=table, data=row)
    lines = list(plan.lines.all())
    for row in DONGGUAN["expenditures"]:
        spending.record_expenditure(
            actor=city,
            line=lines[row["line"] - 1],
            spent_on=_day(row["spent_on"], year),
            amount=row["amount"],
            payee=row["payee"],
        )


def _simple_plan(project, actor, approver, grant: str, rows: list[dict]):
    plan = plans.save_plan(
        actor=actor, project=project, grant=grant, source="（演示）区级配套资金", rows=rows, expected_version=None
    )
    plan = plans.submit_plan(actor=actor, plan=plan, expected_version=plan.lock_version)
    plans.decide_plan(actor=approver, plan=plan, approve=True, text="同意。")
    return plan


def zone_with_pending_adjustment(project, today: date) -> None:
    if SpendingPlan.objects.filter(project=project).exists():
        return
    bureau, city = User.objects.get(username="gx_bureau"), User.objects.get(username="gx_city")
    plan = _simple_plan(
        project,
        bureau,
        city,
        "50",
        [
            {
                "category": "教师培训",
                "purpose": "教师信息化教学能力培训",
                "unit_cost": "2",
                "quantity": "10",
                "unit": "期",
            },
            {
                "category": "平台应用",
                "purpose": "智慧课堂平台应用推广",
                "unit_cost": "30",
                "quantity": "1",
                "unit": "项",
            },
        ],
    )
    first, second = plan.lines.all()
    spending.record_expenditure(
        actor=bureau,
        line=first,
        spent_on=max(project.starts_on, today - timedelta(days=20)),
        amount="18",
        payee="第1—9期培训专家劳务费",
    )
    plans.request_adjustment(
        actor=bureau,
        plan=plan,
        amounts={first.pk: "26", second.pk: "24"},
        reason="教师参训人数超出预期，培训增加至13期，平台推广经费相应减少。",
    )
    schedule.add_milestone(
        actor=bureau,
        project=project,
        data={"title": "完成第二轮教师培训", "owner": "黄志强", "due_on": today + timedelta(days=30)},
    )


def overdue_zone(project, today: date) -> None:
    if project.milestones.exists():
        return
    bureau = User.objects.get(username="sx_bureau")
    schedule.add_milestone(
        actor=bureau,
        project=project,
        data={"title": "完成实验校遴选", "owner": "赵晋生", "due_on": today - timedelta(days=45)},
    )

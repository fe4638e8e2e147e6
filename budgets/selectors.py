"""Reads of a project's money: spent per line, execution rates per line, per year and overall."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from budgets import arithmetic
from budgets.models import BudgetLine, Expenditure, SpendingPlan


def plan_of(project) -> SpendingPlan | None:
    return SpendingPlan.objects.filter(project=project).select_related("updated_by").first()


def spent_by_line(plan: SpendingPlan) -> dict[int, Decimal]:
    rows = Expenditure.objects.filter(line__plan=plan).values("line").annotate(total=Sum("amount"))
    return {row["line"]: row["total"] for row in rows}


def execution(plan: SpendingPlan) -> dict:
    """Per line (planned, spent, remaining, rate), per year and overall — for the page and the exports."""
    spent = spent_by_line(plan)
    lines = []
    for line in BudgetLine.objects.filter(plan=plan):
        used = spent.get(line.pk, Decimal(0))
        lines.append(
            {
                "line": line,
                "spent": used,
                "remaining": line.amount - used,
                "rate": arithmetic.execution_rate(used, line.amount),
            }
        )
    by_year = defaultdict(lambda: Decimal(0))
    for row in (
        Expenditure.objects.filter(line__plan=plan)
        .annotate(year=ExtractYear("spent_on"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    ):
        by_year[row["year"]] = row["total"]
    total_spent = sum(spent.values(), Decimal(0))
    return {
        "lines": lines,
        "years": [
            {"year": y, "spent": s, "rate": arithmetic.execution_rate(s, plan.grant)}
            for y, s in sorted(by_year.items())
        ],
        "planned": plan.grant,
        "spent": total_spent,
        "remaining": plan.grant - total_spent,
        "rate": arithmetic.execution_rate(total_spent, plan.grant),
    }

"""Reads of the indicator table: each indicator with its target as printed and its judgement."""

from __future__ import annotations

from budgets import arithmetic
from evaluation import judgement
from evaluation.models import Comparator, Indicator, IndicatorKind, PerformanceTable


def target_text(indicator: Indicator) -> str:
    if indicator.kind == IndicatorKind.TEXT:
        return indicator.target_text
    if indicator.kind == IndicatorKind.DATE:
        return f"{indicator.target_date.year}年{indicator.target_date.month}月{indicator.target_date.day}日"
    symbol = Comparator(indicator.comparator).label
    unit = "%" if indicator.kind == IndicatorKind.PERCENT else indicator.unit
    return f"{symbol}{arithmetic.show(indicator.target_number)}{unit}"


def actual_text(indicator: Indicator) -> str:
    if indicator.kind == IndicatorKind.TEXT:
        return indicator.actual_text
    if indicator.kind == IndicatorKind.DATE:
        return f"{indicator.actual_date:%Y-%m-%d}" if indicator.actual_date else ""
    if indicator.actual_number is None:
        return ""
    unit = "%" if indicator.kind == IndicatorKind.PERCENT else indicator.unit
    return f"{arithmetic.show(indicator.actual_number)}{unit}"


def verdict(indicator: Indicator) -> bool | None:
    if indicator.kind == IndicatorKind.TEXT:
        return judgement.judge(indicator.kind, verdict=indicator.verdict)
    if indicator.kind == IndicatorKind.DATE:
        return judgement.judge(indicator.kind, target=indicator.target_date, actual=indicator.actual_date)
    return judgement.judge(
        indicator.kind, comparator=indicator.comparator, target=indicator.target_number, actual=indicator.actual_number
    )


def table_of(project) -> PerformanceTable | None:
    return PerformanceTable.objects.filter(project=project).first()


def indicator_rows(table: PerformanceTable | None) -> list[dict]:
    if table is None:
        return []
    return [
        {"indicator": i, "target": target_text(i), "actual": actual_text(i), "met": verdict(i)}
        for i in table.indicators.all()
    ]


def summary(rows: list[dict]) -> dict:
    return judgement.attainment([row["met"] for row in rows])

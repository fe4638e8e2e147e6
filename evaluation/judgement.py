"""Judging a performance indicator's actual value against its target (达成 / 未达成).

Targets are typed: a quantity or a percentage with a comparison (≥ 30 个, ≥ 80 %), a date (项目完成
日期 2022年7月30日: done on or before it), or qualitative text judged by a reviewer. Bounds are
inclusive as written: 80 % meets ≥ 80 %."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Comparisons as data, in the symbols the forms print.
COMPARATORS = {
    "ge": ("≥", lambda actual, target: actual >= target),
    "le": ("≤", lambda actual, target: actual <= target),
    "gt": (">", lambda actual, target: actual > target),
    "lt": ("<", lambda actual, target: actual < target),
    "eq": ("=", lambda actual, target: actual == target),
}

QUANTITY, PERCENT, DATE, TEXT = "quantity", "percent", "date", "text"


def judge(kind: str, *, comparator: str = "ge", target=None, actual=None, verdict: bool | None = None) -> bool | None:
    """True (达成), False (未达成) or None (not yet known: no actual value, or no reviewer verdict)."""
    if kind == TEXT:
        return verdict
    if actual is None or target is None:
        return None
    if kind == DATE:
        if not isinstance(actual, date) or not isinstance(target, date):
            raise TypeError("date targets compare dates")
        return actual <= target
    if kind == PERCENT and not Decimal(0) <= Decimal(actual) <= Decimal(100):
        raise ValueError("百分比须在 0 至 100 之间")
    return COMPARATORS[comparator][1](Decimal(actual), Decimal(target))


def attainment(verdicts: list[bool | None]) -> dict:
    """Counts for a completion summary: met, not met, pending, and the share met among judged ones."""
    met = sum(1 for v in verdicts if v is True)
    missed = sum(1 for v in verdicts if v is False)
    pending = sum(1 for v in verdicts if v is None)
    judged = met + missed
    rate = (Decimal(met) * 100 / judged).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if judged else None
    return {"met": met, "missed": missed, "pending": pending, "total": len(verdicts), "rate": rate}

"""Which progress reports a project owes: periods of the call's cadence inside the project's cycle.

Pure date arithmetic: periods are calendar months, quarters or half-years (so that "第3季度" means
July to September for every project); the first one begins on the project's start date and the last
ends with the cycle. The report on a period is due REPORT_GRACE_DAYS after it ends."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6}
REPORT_GRACE_DAYS = 10


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(start: date, end: date, cadence: str) -> list[tuple[date, date, date]]:
    """[(period start, period end, due date)] for every period that begins on or before `end`."""
    months = MONTHS.get(cadence)
    if not months or end < start:
        return []
    out = []
    first = date(start.year, (start.month - 1) // months * months + 1, 1)
    n = 0
    while True:
        begins = _add_months(first, months * n)
        if begins > end:
            return out
        ends = _add_months(first, months * (n + 1)) - timedelta(days=1)
        out.append((max(begins, start), min(ends, end), min(ends, end) + timedelta(days=REPORT_GRACE_DAYS)))
        n += 1


def label(period_start: date, period_end: date, cadence: str) -> str:
    if cadence == "monthly":
        return f"{period_start.year}年{period_start.month}月"
    if cadence == "quarterly":
        return f"{period_start.year}年第{(period_start.month - 1) // 3 + 1}季度"
    return f"{period_start.year}年{'上' if period_start.month <= 6 else '下'}半年"

"""Charts officials would rather look at than read, drawn on the server as SVG (no script, no inline
style): horizontal bars with their value written beside them, so a printout or a screen reader loses
nothing. The data come from the scoped selectors only."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import Sum
from django.utils import timezone

from budgets import arithmetic
from budgets.choices import MilestoneStatus
from budgets.models import BudgetLine, Expenditure, Milestone
from evaluation.models import Indicator
from evaluation.selectors import verdict
from portal.orgs.selectors import city_names, city_of
from portal.projects.models import ProgressReport, ReportStatus

WIDTH, LABEL, ROW = 600, 190, 26


def bars(rows: list[tuple[str, float, str]], *, unit: str, limit: float | None = None, title: str) -> str:
    """rows: (label, value, css class). Bars scale to the largest value (or `limit`, e.g. 100 %)."""
    top = max([limit or 0] + [v for _, v, _ in rows]) or 1
    height = 12 + ROW * max(len(rows), 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    if not rows:
        out.append('<text x="4" y="24" class="chart-label">暂无数据</text>')
    for i, (label, value, css) in enumerate(rows):
        y = 6 + i * ROW
        w = (WIDTH - LABEL - 90) * (min(value, top) / top)
        out.append(
            f'<text x="{LABEL - 6}" y="{y + 14}" text-anchor="end" class="chart-label">{escape(label[:14])}</text>'
            f'<rect x="{LABEL}" y="{y + 2}" width="{max(w, 1):.1f}" height="16" class="{css}">'
            f"<title>{escape(label)}：{value:g}{unit}</title></rect>"
            f'<text x="{LABEL + w + 6:.1f}" y="{y + 14}" class="chart-value">{value:g}{unit}</text>'
        )
    if limit and rows:
        x = LABEL + (WIDTH - LABEL - 90) * (limit / top)
        out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" class="chart-limit"/>')
    out.append("</svg>")
    return "".join(out)


def execution_by_project(projects, limit: int = 30) -> str:
    ids = projects.values("pk")
    grants = dict(
        BudgetLine.objects.filter(plan__project__in=ids)
        .values("plan__project_id")
        .annotate(g=Sum("amount"))
        .values_list("plan__project_id", "g")
    )
    spent = dict(
        Expenditure.objects.filter(line__plan__project__in=ids)
        .values("line__plan__project_id")
        .annotate(s=Sum("amount"))
        .values_list("line__plan__project_id", "s")
    )
    names = dict(projects.filter(pk__in=list(grants)).values_list("pk", "organisation__name"))
    rows = []
    for pk, grant in grants.items():
        rate = arithmetic.execution_rate(spent.get(pk, Decimal(0)), grant)
        if rate is not None and pk in names:
            rows.append((names[pk], float(rate), "chart-bad" if rate > 100 else "chart-bar"))
    rows.sort(key=lambda r: -r[1])
    return bars(rows[:limit], unit="%", limit=100, title="各项目经费执行率")


def execution_by_line(projects) -> str:
    """Per category of line (资金投入方向) across the projects: what share of the planned money is spent."""
    ids = projects.values("pk")
    planned = dict(
        BudgetLine.objects.filter(plan__project__in=ids)
        .values("category")
        .annotate(a=Sum("amount"))
        .values_list("category", "a")
    )
    spent = dict(
        Expenditure.objects.filter(line__plan__project__in=ids)
        .values("line__category")
        .annotate(s=Sum("amount"))
        .values_list("line__category", "s")
    )
    rows = [
        (c, float(arithmetic.execution_rate(spent.get(c, Decimal(0)), a) or 0), "chart-bar")
        for c, a in sorted(planned.items())
    ]
    return bars(rows, unit="%", limit=100, title="各预算方向执行率")


def lateness_by_city(projects, scope_org) -> str:
    today = timezone.localdate()
    cities = city_names(scope_org.scope_path)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in Milestone.objects.filter(
        project__in=projects.values("pk"), status=MilestoneStatus.OPEN, due_on__lt=today
    ).values_list("project__organisation__path", flat=True):
        counts[city_of(path, cities, "直属")][0] += 1
    for path in ProgressReport.objects.filter(
        project__in=projects.values("pk"), due_on__lt=today, status__in=[ReportStatus.DUE, ReportStatus.RETURNED]
    ).values_list("project__organisation__path", flat=True):
        counts[city_of(path, cities, "直属")][1] += 1
    rows = []
    for city, (milestones, reports) in sorted(counts.items()):
        rows.append((f"{city}·逾期里程碑", milestones, "chart-bad"))
        rows.append((f"{city}·逾期未报告", reports, "chart-warn"))
    return bars(rows, unit="", title="各市逾期里程碑与逾期未报的进展报告")


def attainment_by_category(projects) -> str:
    per: dict[str, list] = defaultdict(list)
    for indicator in Indicator.objects.filter(table__project__in=projects.values("pk")):
        per[indicator.level1].append(verdict(indicator))
    rows = []
    for category, verdicts in sorted(per.items()):
        judged = [v for v in verdicts if v is not None]
        rate = sum(1 for v in judged if v) * 100 / len(judged) if judged else 0
        rows.append((f"{category}（已判定 {len(judged)}/{len(verdicts)}）", round(rate, 2), "chart-good"))
    return bars(rows, unit="%", limit=100, title="各类绩效指标达成率")

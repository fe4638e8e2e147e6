"""The project's timeline as a server-rendered SVG (Gantt-like): one bar per stage, a diamond per
milestone, a line for today. No script, no inline style: it passes the content security policy."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

WIDTH, LABEL, ROW = 900, 180, 26


def _x(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return LABEL + (WIDTH - LABEL - 10) * ((day - start).days / span)


def render(project, stages, milestones, today: date) -> str:
    start = min([project.starts_on] + [s.starts_on for s in stages])
    end = max([project.ends] + [s.ends_on for s in stages] + [m.due_on for m in milestones])
    rows = len(stages) + len(milestones)
    height = 40 + ROW * max(rows, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="project-timeline" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="项目进度时间轴" data-testid="timeline-svg">'
    ]
    year = start.year
    while date(year, 1, 1) <= end:
        day = max(date(year, 1, 1), start)
        x = _x(day, start, end)
        out.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height}" class="tl-grid"/>'
            f'<text x="{x + 3:.1f}" y="14" class="tl-year">{year}年</text>'
        )
        year += 1
    y = 30
    for stage in stages:
        x1, x2 = _x(stage.starts_on, start, end), _x(stage.ends_on, start, end)
        out.append(
            f'<text x="4" y="{y + 14}" class="tl-label">{escape(stage.name[:12])}</text>'
            f'<rect x="{x1:.1f}" y="{y + 3}" width="{max(x2 - x1, 3):.1f}" height="16" rx="3" class="tl-stage">'
            f"<title>{escape(stage.name)}：{stage.starts_on:%Y-%m-%d} 至 {stage.ends_on:%Y-%m-%d}</title></rect>"
        )
        y += ROW
    for m in milestones:
        x = _x(m.due_on, start, end)
        late = m.status == "open" and m.due_on < today
        css = "tl-done" if m.status == "done" else ("tl-late" if late else "tl-open")
        out.append(
            f'<text x="4" y="{y + 14}" class="tl-label">{escape(m.title[:12])}</text>'
            f'<path d="M{x:.1f} {y + 3} l8 8 l-8 8 l-8 -8 z" class="{css}" data-testid="tl-milestone">'
            f"<title>{escape(m.title)}：{m.due_on:%Y-%m-%d}{'（已逾期）' if late else ''}</title></path>"
        )
        y += ROW
    if start <= today <= end:
        x = _x(today, start, end)
        out.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height}" class="tl-today"/>'
            f'<text x="{x + 3:.1f}" y="{height - 4}" class="tl-year">今天</text>'
        )
    out.append("</svg>")
    return "".join(out)

"""Dashboard panels: "my project" for the project's organisation, "projects needing attention" for
the levels above (overdue milestones, missing reports, a line spent beyond its amount)."""

from django.urls import reverse

from portal.core.dashboard import Panel, PanelItem, register
from portal.orgs.choices import Role
from portal.projects import selectors

ATTENTION_ROWS = 10


@register(Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT)
def my_projects_panel(user):
    projects = list(
        selectors.with_flags(selectors.visible_projects(user).filter(organisation_id=user.organisation_id))[:5]
    )
    if not projects:
        return None
    items = []
    for p in projects:
        notes = [
            text
            for flag, text in (
                (p.overdue, "里程碑逾期"),
                (p.missing_reports, "进展报告逾期"),
                (p.over_budget, "支出超预算"),
            )
            if flag
        ]
        items.append(
            PanelItem(
                text=p.title,
                url=reverse("projects:detail", args=[p.pk]),
                note="、".join(notes) or f"实施中 · 至 {p.ends:%Y-%m-%d}",
                overdue=bool(notes),
            )
        )
    return Panel(
        title="我的项目",
        order=5,
        count=len(items),
        items=items,
        link_url=reverse("projects:list"),
        link_text="全部项目",
    )


@register(Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER)
def attention_panel(user):
    qs = selectors.needing_attention(user).order_by("organisation__path")
    count = qs.count()
    if not count and not selectors.visible_projects(user).exists():
        return None
    items = []
    for p in qs[:ATTENTION_ROWS]:
        notes = [
            text
            for flag, text in (
                (p.overdue, "里程碑逾期"),
                (p.missing_reports, "进展报告逾期"),
                (p.over_budget, "支出超预算"),
            )
            if flag
        ]
        items.append(
            PanelItem(
                text=f"{p.organisation.name}：{p.title}",
                url=reverse("projects:detail", args=[p.pk]),
                note="、".join(notes),
                overdue=True,
            )
        )
    return Panel(
        title="需要关注的项目",
        order=15,
        count=count,
        items=items,
        tone="warning" if count else "primary",
        empty_text="所辖项目均按计划进行。",
        link_url=reverse("projects:list") + "?overdue=1",
        link_text="查看逾期项目",
    )

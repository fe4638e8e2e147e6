"""The reviewers' to-do panel: what waits at their level, overdue items marked."""

from django.urls import reverse
from django.utils import timezone

from portal.core.dashboard import Panel, PanelItem, register
from portal.orgs.choices import Role
from portal.programmes.choices import ReviewLevel
from portal.programmes.selectors import deadline
from portal.review import chain, selectors
from portal.review.models import ListStatus


@register(Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER)
def reviews_panel(user):
    now = timezone.now()
    total = selectors.pending_applications(user).count()
    pending = list(selectors.pending_applications(user, in_queue_order=True)[:10])
    items, overdue = [], 0
    for application in pending:
        due = deadline(application.call, chain.LEVELS[application.stage].step)
        late = bool(due and now > due)
        overdue += late
        items.append(
            PanelItem(
                text=f"{application.applicant.name}（{ReviewLevel(application.stage).label}）",
                url=reverse("review:review", args=[application.pk]),
                overdue=late,
                note=("已逾期 · " if late else "") + (f"截止 {timezone.localtime(due):%m月%d日 %H:%M}" if due else ""),
            )
        )
    org = selectors.acting_org(user)
    open_lists = (
        selectors.visible_lists(user)
        .filter(organisation=org)
        .exclude(status__in=[ListStatus.SENT, ListStatus.PUBLISHED])
        if org
        else []
    )
    for lst in open_lists:
        items.append(
            PanelItem(
                text=f"{lst.get_level_display()}名单：{lst.status_text}（{lst.entry_count} 项）",
                url=reverse("review:list_detail", args=[lst.pk]),
                note=f"{lst.pending_objections} 条异议待处理" if lst.pending_objections else "",
            )
        )
    return Panel(
        title="待审核事项",
        order=10,
        count=total,
        items=items,
        tone="danger" if overdue else "primary",
        empty_text="目前没有待您审核的申报。",
        link_url=reverse("review:queue"),
        link_text="全部待审核",
    )

"""The expert's to-do panel: assignments still to score, panels to sign as leader."""

from django.urls import reverse

from portal.core.dashboard import Panel, PanelItem, register
from portal.experts import selectors
from portal.experts.models import AssignmentStatus, PanelStatus
from portal.orgs.choices import Role


@register(Role.EXPERT)
def expert_panel(user):
    waiting = list(selectors.my_assignments(user).filter(status=AssignmentStatus.ASSIGNED)[:10])
    items = [
        PanelItem(text=f"{a.application.applicant.name}（{a.panel.name}）", url=reverse("experts:task", args=[a.pk]))
        for a in waiting
    ]
    items += [
        PanelItem(text=f"{p.name}：请签署专家组评审意见", url=reverse("experts:leader", args=[p.pk]))
        for p in selectors.led_panels(user).filter(status=PanelStatus.CLOSED)
    ]
    return Panel(
        title="分配给我的评审任务",
        order=10,
        count=len(waiting),
        items=items,
        empty_text="目前没有分配给您的评审任务。",
        link_url=reverse("experts:task_list"),
        link_text="全部任务",
    )

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from portal.audit.actions import label
from portal.audit.selectors import visible_entries
from portal.core.dashboard import Panel, PanelItem, register
from portal.orgs.choices import Role

WATCHED = ("accounts.login.failure", "accounts.login.locked", "accounts.login.refused_locked", "orgs.import.rejected")


@register(Role.AUDIT_ADMIN)
def security_events_panel(user):
    since = timezone.now() - timedelta(hours=24)
    rows = (
        visible_entries(user)
        .filter(created_at__gte=since, action__in=WATCHED)
        .values("action")
        .annotate(n=Count("id"))
        .order_by("action")
    )
    items = [
        PanelItem(
            text=label(row["action"]),
            note=f"{row['n']} 次",
            url=f"{reverse('audit:entry_list')}?action={row['action']}",
        )
        for row in rows
    ]
    return Panel(
        title="近 24 小时安全事件",
        order=10,
        count=sum(r["n"] for r in rows),
        items=items,
        tone="warning" if items else "secondary",
        empty_text="近 24 小时没有登录失败或锁定事件。",
        link_url=reverse("audit:entry_list"),
        link_text="查看审计日志",
    )

"""Dashboard panels of the organisation tree and the accounts."""

from django.urls import reverse
from django.utils import timezone

from portal.core.dashboard import Panel, PanelItem, register
from portal.orgs import selectors
from portal.orgs.choices import OrgKind, Role


@register(*[r for r in Role.values if r != Role.EXPERT])
def scope_panel(user):
    org = user.organisation
    if org is None:
        return None
    counts = selectors.children_summary(org) if org.kind != OrgKind.CENTRE else selectors.children_summary(org.parent)
    if not counts:
        return None
    order = [OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.SCHOOL, OrgKind.CENTRE, OrgKind.OTHER]
    items = [
        PanelItem(
            text=OrgKind(kind).label, note=f"{counts[kind]} 个", url=f"{reverse('orgs:organisation_list')}?kind={kind}"
        )
        for kind in order
        if counts.get(kind)
    ]
    return Panel(
        title="管辖范围",
        order=80,
        items=items,
        link_url=reverse("orgs:organisation_detail", args=[org.code]),
        link_text="查看本单位",
        tone="secondary",
    )


@register(Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN)
def locked_accounts_panel(user):
    locked = list(selectors.visible_users(user).filter(locked_until__gt=timezone.now()).order_by("-locked_until")[:10])
    return Panel(
        title="被锁定的账户",
        order=20,
        count=len(locked),
        tone="warning" if locked else "secondary",
        items=[
            PanelItem(
                text=f"{u.display_name} · {u.organisation.name if u.organisation else ''}",
                url=reverse("orgs:user_detail", args=[u.pk]),
                note=f"锁定至 {timezone.localtime(u.locked_until):%H:%M}",
            )
            for u in locked
        ],
        empty_text="没有被锁定的账户。",
        link_url=f"{reverse('orgs:user_list')}?locked=on",
        link_text="全部账户",
    )


@register(Role.PROVINCE_ADMIN, Role.SYSTEM_ADMIN)
def import_panel(user):
    return Panel(
        title="机构与账户",
        order=30,
        tone="secondary",
        empty_text="",
        items=[
            PanelItem(text="批量导入机构与账户（Excel / CSV）", url=reverse("orgs:import")),
            PanelItem(text="下载导入模板", url=reverse("orgs:import_template")),
        ],
    )


@register(*Role.values)
def my_organisation_panel(user):
    org = user.organisation
    if org is None:
        return None
    items = [PanelItem(text="机构代码", note=org.code), PanelItem(text="机构类别", note=org.get_kind_display())]
    if org.region_name:
        items.append(PanelItem(text="所在地区", note=f"{org.region_name}（{org.division_code}）"))
    if org.kind == OrgKind.SCHOOL:
        items.append(
            PanelItem(text="学校类型", note=f"{org.get_school_type_display()} · {org.get_ownership_display()}")
        )
    return Panel(
        title=f"本单位：{org.name}",
        order=90,
        items=items,
        tone="secondary",
        link_url=reverse("orgs:organisation_detail", args=[org.code]),
        link_text="单位详情",
    )

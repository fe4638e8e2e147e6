"""Dashboard panels of calls and applications (replace the foundation's placeholders)."""

from django.urls import reverse
from django.utils import timezone

from portal.core.dashboard import Panel, PanelItem, register
from portal.orgs.choices import Role
from portal.programmes import selectors
from portal.programmes.choices import EDITABLE


@register(Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT)
def applications_panel(user):
    items = []
    own = {a.call_id: a for a in selectors.visible_applications(user).filter(applicant_id=user.organisation_id)}
    for call in selectors.open_calls_for(user):
        due = selectors.submission_deadline(call)
        note = f"截止 {timezone.localtime(due):%m月%d日 %H:%M}" if due else ""
        application = own.get(call.pk)
        if application is None:
            items.append(
                PanelItem(
                    text=f"{call.title}：尚未填写", url=reverse("programmes:call_detail", args=[call.pk]), note=note
                )
            )
        elif application.status in EDITABLE:
            items.append(
                PanelItem(
                    text=f"{call.title}：{application.get_status_display()}",
                    url=reverse("programmes:application_edit", args=[application.pk]),
                    note=note,
                )
            )
    return Panel(
        title="待填写的申报表",
        order=10,
        count=len(items),
        items=items,
        empty_text="目前没有需要本单位填写的申报表。",
        link_url=reverse("programmes:application_list"),
        link_text="我的申请",
    )

"""The reports, as data: what each is called, who may ask for it, what it needs, how it is drawn.
Each `load` fetches its object through the requester's own scope; the renderer never widens it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.http import Http404

from portal.programmes.choices import ReviewLevel


@dataclass(frozen=True)
class ReportKind:
    label: str
    permission: str
    param: str                      # the one parameter: a list, a call or a panel id
    extension: str
    load: Callable                  # (user, pk) → object in scope, else Http404
    title: Callable                 # (object) → job title
    render: Callable                # (user, object, masker, out, progress)


def _list(user, pk):
    from portal.review.selectors import get_visible_list
    lst = get_visible_list(user, pk=pk)
    if lst.level != ReviewLevel.CITY:
        raise Http404("推荐汇总表和联系人信息表由设区市编制。")
    return lst


def _call(user, pk):
    from portal.programmes.selectors import get_manageable_call
    return get_manageable_call(user, pk=pk)


def _panel(user, pk):
    from portal.experts.selectors import get_manageable_panel
    return get_manageable_panel(user, pk=pk)


def _summary(user, lst, masker, out, progress):
    from portal.reports.renderers.lists import recommendation_summary
    recommendation_summary(lst, lst.sent_by or user, masker, out, progress)


def _contacts(user, lst, masker, out, progress):
    from portal.reports.renderers.lists import contact_table
    contact_table(lst, lst.sent_by or user, masker, out, progress)


def _province(user, call, masker, out, progress):
    from portal.programmes.selectors import visible_applications
    from portal.reports.renderers.province import province_summary
    province_summary(call, visible_applications(user).filter(call=call), masker, out, progress)


def _scores(user, panel, masker, out, progress):
    from portal.reports.renderers.experts import expert_scores
    expert_scores(panel, masker, out, progress)


XLSX = "xlsx"
KINDS: dict[str, ReportKind] = {
    "city_summary": ReportKind("推荐汇总表（附件3）", "review.view_lists", "list", XLSX, _list,
                               lambda lst: f"{lst.organisation.name}推荐汇总表", _summary),
    "city_contacts": ReportKind("联系人信息表（附件4）", "review.view_lists", "list", XLSX, _list,
                                lambda lst: f"{lst.organisation.name}联系人信息表", _contacts),
    "province_summary": ReportKind("申报汇总表", "programmes.manage_call", "call", XLSX, _call,
                                   lambda call: f"{call.title}申报汇总表", _province),
    "expert_scores": ReportKind("专家评分表及排名", "experts.manage", "panel", XLSX, _panel,
                                lambda panel: f"{panel.name}专家评分表", _scores),
}
CONTENT_TYPES = {XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

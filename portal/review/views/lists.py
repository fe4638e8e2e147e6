"""A level's list: ranking with the quota at a glance, the public notice, objections, sending it up,
and the 推荐汇总表 / 联系人信息表 on screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.core import files
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.programmes.choices import QuotaTarget
from portal.review import chain, selectors, summary
from portal.review.forms import HandleForm, NoticeForm, OfflineNoticeForm
from portal.review.models import ListEntry, ListStatus
from portal.review.services import lists as list_services
from portal.review.services import objections as objection_services
from portal.review.services.decisions import quota_of, remove_from_list, used_quota


@login_required
@permission_required("review.view_lists", raise_exception=True)
def list_index_view(request):
    lists = selectors.visible_lists(request.user).order_by("-call__opens_at", "level", "organisation__path")
    return render(request, "review/list_index.html", {"lists": lists})


def _quota_rows(lst, entries):
    rows = []
    for target, label in QuotaTarget.choices:
        limit = quota_of(lst.call, lst.level, target)
        used = used_quota(lst.call, lst.organisation, lst.level, target)
        if limit is None and not used:
            continue
        rows.append(
            {
                "label": label,
                "used": used,
                "limit": limit,
                "left": None if limit is None else max(limit - used, 0),
                "over": limit is not None and used > limit,
            }
        )
    return rows


@login_required
@permission_required("review.view_lists", raise_exception=True)
def list_detail_view(request, pk):
    lst = selectors.get_visible_list(request.user, pk=pk)
    lst.call = type(lst.call).objects.prefetch_related("quotas", "deadlines").get(pk=lst.call_id)
    entries = list(selectors.entries_of(lst))
    now = timezone.now()
    return render(
        request,
        "review/list_detail.html",
        {
            "lst": lst,
            "entries": entries,
            "groups": [(label, [e for e in entries if e.target == t]) for t, label in QuotaTarget.choices],
            "quotas": _quota_rows(lst, entries),
            "own": selectors.own_list(request.user, lst),
            "needs_notice": list_services.needs_notice(lst),
            "objections": list(selectors.objections_of(lst)),
            "notice_form": NoticeForm(
                initial={"notice_starts": now, "notice_ends": now + timezone.timedelta(days=lst.call.notice_days)}
            ),
            "handle_form": HandleForm(),
            "now": now,
            "offline_form": OfflineNoticeForm(),
            "notice_over": bool(lst.notice_ends and now >= lst.notice_ends),
            "editable": lst.status == ListStatus.OPEN,
            "deciding": chain.is_deciding(lst.call, lst.level),
        },
    )


def _own(request, pk):
    lst = selectors.get_visible_list(request.user, pk=pk)
    if not selectors.own_list(request.user, lst):
        raise Http404("名单不在您的管理范围内。")
    return lst


def _done(request, lst, action, success):
    try:
        action()
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
    return redirect("review:list_detail", pk=lst.pk)


@login_required
@require_POST
@permission_required("review.review", raise_exception=True)
def list_rank_view(request, pk):
    lst = _own(request, pk)
    ranks = []
    for entry in lst.entries.all():
        raw = request.POST.get(f"rank-{entry.pk}", "")
        if (rank := parse_id(raw)) is None:
            messages.error(request, "排序须为正整数。")
            return redirect("review:list_detail", pk=lst.pk)
        ranks.append((entry.target, rank, entry.rank, entry.pk))
    order = [pk for *_, pk in sorted(ranks)]
    return _done(request, lst, lambda: list_services.rank(actor=request.user, lst=lst, order=order), "排序已保存。")


@login_required
@require_POST
@permission_required("review.review", raise_exception=True)
def list_remove_view(request, pk, entry_pk):
    lst = _own(request, pk)
    entry = get_object_or_404(ListEntry, pk=entry_pk, list=lst)
    return _done(
        request, lst, lambda: remove_from_list(actor=request.user, entry=entry), "已移出名单，该申请回到待审核列表。"
    )


@login_required
@require_POST
@permission_required("review.review", raise_exception=True)
def list_notice_view(request, pk):
    lst = _own(request, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("review:list_detail", pk=lst.pk)
    d = form.cleaned_data
    return _done(
        request,
        lst,
        lambda: list_services.start_notice(
            actor=request.user,
            lst=lst,
            starts=d["notice_starts"],
            ends=d["notice_ends"],
            title=d["notice_title"],
            text=d["notice_text"],
        ),
        "名单已公示。公示页面无需登录即可访问。",
    )


@login_required
@require_POST
@permission_required("review.review", raise_exception=True)
def list_offline_notice_view(request, pk):
    lst = _own(request, pk)
    form = OfflineNoticeForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("review:list_detail", pk=lst.pk)
    d = form.cleaned_data
    return _done(
        request,
        lst,
        lambda: list_services.record_offline_notice(
            actor=request.user,
            lst=lst,
            starts=d["notice_starts"],
            ends=d["notice_ends"],
            where=d["notice_where"],
            outcome=d["notice_outcome"],
            upload=d["notice_scan"],
        ),
        "已登记线下公示。公示期满后即可上报。",
    )


@login_required
@permission_required("review.view_lists", raise_exception=True)
def list_notice_scan_view(request, pk):
    lst = selectors.get_visible_list(request.user, pk=pk)
    if not lst.notice_scan_stored:
        raise Http404("没有公示扫描件。")
    return files.file_response(lst.notice_scan_stored, lst.notice_scan_type, lst.notice_scan_name)


@login_required
@require_POST
@permission_required("review.review", raise_exception=True)
def list_send_view(request, pk):
    lst = _own(request, pk)
    return _done(request, lst, lambda: list_services.send(actor=request.user, lst=lst), "名单已上报 / 公布。")


@login_required
@require_POST
@permission_required("review.review", raise_exception=True)
def objection_handle_view(request, pk):
    objection = selectors.get_handleable_objection(request.user, pk=pk)
    return _done(
        request,
        objection.list,
        lambda: objection_services.handle(
            actor=request.user,
            objection=objection,
            handling=request.POST.get("handling", ""),
            outcome=request.POST.get("outcome", ""),
            remove=request.POST.get("remove") == "yes",
        ),
        "已记录处理结论。",
    )


@login_required
@permission_required("review.view_lists", raise_exception=True)
def objection_file_view(request, pk):
    objection = selectors.get_handleable_objection(request.user, pk=pk)
    if not objection.stored_name:
        raise Http404("没有附件。")
    return files.file_response(objection.stored_name, objection.content_type, objection.file_name)


@login_required
@permission_required("review.view_lists", raise_exception=True)
def list_summary_view(request, pk):
    lst = selectors.get_visible_list(request.user, pk=pk)
    contact = lst.sent_by or (request.user if selectors.own_list(request.user, lst) else None)
    return render(request, "review/list_summary.html", {"lst": lst, "summary": summary.build(lst, contact)})

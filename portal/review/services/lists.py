"""A level's list: ranking, the public notice (公示), and sending it up or publishing it."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.programmes.choices import TRANSITIONS, QuotaTarget, ReviewLevel, Status
from portal.programmes.models import Application, Project
from portal.programmes.selectors import deadline
from portal.review import chain, selectors
from portal.review.models import ListEntry, ListStatus, ObjectionStatus, RecommendationList
from portal.review.services.decisions import quota_of, used_quota
from portal.review.services.routing import announce, enter


def _lock(lst: RecommendationList) -> RecommendationList:
    return (
        RecommendationList.objects.select_for_update(of=("self",)).select_related("call", "organisation").get(pk=lst.pk)
    )


def _require_owner(actor, lst: RecommendationList) -> None:
    if not selectors.own_list(actor, lst):
        raise ServiceError("只有本级审核人可以操作本名单。")


def needs_notice(lst: RecommendationList) -> bool:
    return lst.level in (lst.call.notice_levels or [])


def rank(*, actor, lst: RecommendationList, order: list[int]) -> None:
    """Renumbers the list's entries in the given order of entry ids (each target numbered from 1)."""
    with transaction.atomic():
        lst = _lock(lst)
        _require_owner(actor, lst)
        if lst.status != ListStatus.OPEN:
            raise ServiceError(f"名单{lst.get_status_display()}，不能再调整排序。")
        entries = {e.pk: e for e in lst.entries.all()}
        if sorted(order) != sorted(entries):
            raise ServiceError("排序须包含名单中的全部申请，且每项只出现一次。")
        counters: dict[str, int] = {}
        before = {e.pk: e.rank for e in entries.values()}
        for pk in order:
            entry = entries[pk]
            counters[entry.target] = counters.get(entry.target, 0) + 1
            entry.rank = counters[entry.target]
        ListEntry.objects.bulk_update(list(entries.values()), ["rank"])
        log_action(
            "review.list.rank",
            actor=actor,
            obj=lst,
            changes={str(pk): [before[pk], entries[pk].rank] for pk in entries if before[pk] != entries[pk].rank},
        )


def _period_errors(lst: RecommendationList, starts, ends, missing: str) -> dict:
    """The notice period's own rules, for a notice run here or recorded from elsewhere: both ends
    given, and at least the call's notice days apart."""
    if starts is None or ends is None:
        return {"notice_ends": [missing]}
    if ends - starts < timedelta(days=lst.call.notice_days):
        return {"notice_ends": [f"公示时间不少于{lst.call.notice_days}天。"]}
    return {}


def start_notice(*, actor, lst: RecommendationList, starts, ends, title: str = "", text: str = "", now=None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        lst = _lock(lst)
        _require_owner(actor, lst)
        if not needs_notice(lst):
            raise ServiceError("本级名单无须公示，可直接上报。")
        if lst.status != ListStatus.OPEN:
            raise ServiceError(f"名单{lst.get_status_display()}。")
        if not lst.entries.exists():
            raise ServiceError("名单为空，不能公示。")
        errors = _period_errors(lst, starts, ends, "请填写公示起止时间。")
        if not errors and starts < now - timedelta(minutes=5):
            errors["notice_starts"] = ["公示开始时间不能早于现在。"]
        if errors:
            raise ServiceError(next(iter(errors.values()))[0], errors=errors)
        lst.status, lst.notice_starts, lst.notice_ends = ListStatus.NOTICE, starts, ends
        lst.notice_title = title.strip() or _default_title(lst)
        lst.notice_text = text.strip()
        lst.save(update_fields=["status", "notice_starts", "notice_ends", "notice_title", "notice_text"])
        log_action(
            "review.list.notice",
            actor=actor,
            obj=lst,
            data={
                "starts": starts.isoformat(),
                "ends": ends.isoformat(),
                "title": lst.notice_title,
                "applications": list(lst.entries.values_list("application_id", flat=True)),
            },
        )


def list_kind(lst: RecommendationList) -> str:
    """What the list is called in its notice."""
    return "拟立项名单" if chain.is_deciding(lst.call, lst.level) else "拟推荐名单"


def _default_title(lst: RecommendationList) -> str:
    return f"{lst.organisation.name}关于{lst.call.title}{list_kind(lst)}的公示"


NOTICE_SCAN_MAX = 20 * 1024 * 1024


def record_offline_notice(
    *, actor, lst: RecommendationList, starts, ends, where: str, outcome: str, upload=None, now=None
) -> None:
    """Record a notice the level ran elsewhere (on paper or its own website). It counts as the
    notice: its period must be the call's full length, and the list goes up only once it is over."""
    now = now or timezone.now()
    errors = _period_errors(lst, starts, ends, "请填写线下公示的起止时间。")
    if not errors and starts > now + timedelta(days=30):
        errors["notice_starts"] = ["公示开始时间不能晚于 30 天之后。"]
    if not where.strip():
        errors["notice_where"] = ["请填写公示地点或网址（如：本局门户网站“通知公告”栏目）。"]
    if not outcome.strip():
        errors["notice_outcome"] = ["请填写公示结果（如：公示期间未收到异议）。"]
    scan_name = stored = content_type = ""
    if upload is not None:
        try:
            scan_name, stored, content_type = files.accept(
                upload, max_bytes=NOTICE_SCAN_MAX, too_big="公示扫描件不能超过 20 MB。"
            )
        except files.FileRefused as refusal:
            errors["notice_scan"] = [str(refusal)]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        lst = _lock(lst)
        _require_owner(actor, lst)
        if not needs_notice(lst):
            raise ServiceError("本级名单无须公示，可直接上报。")
        if lst.status != ListStatus.OPEN:
            raise ServiceError(f"名单{lst.get_status_display()}，不能再登记公示。")
        if not lst.entries.exists():
            raise ServiceError("名单为空，不能登记公示。")
        lst.status, lst.notice_starts, lst.notice_ends = ListStatus.NOTICE, starts, ends
        lst.notice_offline, lst.notice_where, lst.notice_outcome = True, where.strip()[:300], outcome.strip()
        lst.notice_title = lst.notice_title or f"{lst.organisation.name}关于{lst.call.title}拟推荐名单的公示（线下）"
        if stored:
            lst.notice_scan_name, lst.notice_scan_stored, lst.notice_scan_type = scan_name, stored, content_type
        lst.save(
            update_fields=[
                "status",
                "notice_starts",
                "notice_ends",
                "notice_offline",
                "notice_where",
                "notice_outcome",
                "notice_title",
                "notice_scan_name",
                "notice_scan_stored",
                "notice_scan_type",
            ]
        )
        log_action(
            "review.list.notice_offline",
            actor=actor,
            obj=lst,
            changes={"status": [ListStatus.OPEN, ListStatus.NOTICE]},
            data={
                "starts": starts.isoformat(),
                "ends": ends.isoformat(),
                "where": lst.notice_where,
                "outcome": lst.notice_outcome,
                "scan": scan_name or None,
            },
        )


def send(*, actor, lst: RecommendationList, now=None) -> list:
    """Sends every entry to its next level, or, at the deciding level, approves and publishes them."""
    now = now or timezone.now()
    with transaction.atomic():
        lst = _lock(lst)
        _require_owner(actor, lst)
        if lst.status in (ListStatus.SENT, ListStatus.PUBLISHED):
            raise ServiceError(f"名单{lst.get_status_display()}。")
        entries = list(selectors.entries_of(lst))
        if not entries:
            raise ServiceError("名单为空，不能上报。")
        if needs_notice(lst):
            if lst.status != ListStatus.NOTICE:
                raise ServiceError(f"须先公示名单（不少于{lst.call.notice_days}天），公示无异议后方可上报。")
            if now < lst.notice_ends:
                raise ServiceError(
                    f"公示期至{timezone.localtime(lst.notice_ends):%Y年%m月%d日 %H:%M}结束，公示期满后方可上报。"
                )
            pending = lst.objections.filter(status=ObjectionStatus.PENDING).count()
            if pending:
                raise ServiceError(f"尚有 {pending} 条异议未处理，处理完毕后方可上报。")
        for target in QuotaTarget.values:
            limit = quota_of(lst.call, lst.level, target)
            count = used_quota(lst.call, lst.organisation, lst.level, target)
            if limit is not None and count > limit:
                raise ServiceError(f"推荐{QuotaTarget(target).label} {count} 个，超过名额（{limit} 个）。")
        due = deadline(lst.call, chain.LEVELS[lst.level].step)
        if due is not None and now > due:
            raise ServiceError(f"本环节截止时间（{timezone.localtime(due):%Y年%m月%d日 %H:%M}）已过，不能再上报。")
        locked = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .select_related("call", "applicant", "applicant__parent")
            .filter(pk__in=[e.application_id for e in entries])
        }
        for application in locked.values():
            if application.status != Status.SUBMITTED or application.stage != lst.level:
                raise ServiceError(f"{application.applicant.name} 的申请已不在本环节，请先从名单中移出。")
        deciding = chain.is_deciding(lst.call, lst.level)
        moved, arrived = [], {}
        for entry in entries:
            application = locked[entry.application_id]
            previous = application.stage
            if deciding:
                application.status, application.stage = TRANSITIONS["approve"][1], ""
                _make_project(application, now)
            else:
                nxt = chain.next_stage(
                    application.call, application.applicant_kind, lst.level, chain.parent_kind_of(application)
                )
                enter(application, nxt, now)
                arrived.setdefault(nxt, []).append(application)
            application.save(update_fields=["status", "stage", "stage_since", "updated_at"])
            log_action(
                "review.approved" if deciding else "review.forward",
                actor=actor,
                obj=application,
                changes={"stage": [previous, application.stage]}
                | ({"status": [Status.SUBMITTED, Status.APPROVED]} if deciding else {}),
                data={"level": lst.level, "list": lst.pk, "rank": entry.rank},
            )
            moved.append(application)
        lst.status = ListStatus.PUBLISHED if deciding else ListStatus.SENT
        lst.sent_at, lst.sent_by = now, actor
        lst.save(update_fields=["status", "sent_at", "sent_by"])
        log_action(
            "review.list.publish" if deciding else "review.list.send",
            actor=actor,
            obj=lst,
            data={"applications": [a.pk for a in moved]},
        )
    for level, applications in arrived.items():
        announce(applications, level)
    for application in moved:
        notify(
            selectors.applicant_users(application),
            kind=Kind.RESULT,
            title=f"{application.call.title}："
            + ("已立项" if deciding else f"{ReviewLevel(lst.level).label}已推荐上报"),
            url=reverse("programmes:application_detail", args=[application.pk]),
        )
    return moved


def _make_project(application, now) -> Project:
    start = timezone.localdate(now)
    years = application.call.cycle_years
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return Project.objects.create(
        application=application,
        call=application.call,
        organisation=application.applicant,
        title=application.title or f"{application.applicant.name}实验项目",
        approved_at=now,
        starts_on=start,
        ends_on=end,
    )

"""A level's decision on an application: the signed opinion in the form's box, and the move it makes.

Recommend / approve puts the application on the level's list (ranked, maybe publicly noticed, then
sent on as a batch by services.lists); return and not-recommend end its way up at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.programmes.choices import TRANSITIONS, QuotaTarget, ReviewLevel, Status
from portal.programmes.models import Application
from portal.programmes.selectors import deadline
from portal.review import chain, selectors
from portal.review.chain import LISTED, Outcome
from portal.review.models import ListEntry, ListStatus, Opinion, RecommendationList
from portal.review.services.seals import current_seal


@dataclass
class Decision:
    outcome: str
    text: str
    reasons: str = ""
    signer_name: str = ""
    signed_on: date | None = None


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "applicant", "schema")
        .get(pk=application.pk)
    )


def check_turn(actor, application: Application, now=None) -> str:
    """The level the actor acts at on this application, or a ServiceError saying why not."""
    if application.status != Status.SUBMITTED or not application.stage:
        raise ServiceError(f"该申请当前状态为“{application.get_status_display()}”，不在审核流程中。")
    level = application.stage
    if not selectors.can_act(actor, application):
        if level in chain.GATES and chain.GATES[level](actor, application) is False:
            raise ServiceError(
                f"该申请由专家组评审，“{chain.box_label(application.definition, level)}”由专家组组长在评审结束后签署。"
            )
        if not actor.has_perm("review.review"):
            raise ServiceError("您没有审核权限。")
        raise ServiceError(f"该申请当前在“{ReviewLevel(level).label}”环节，不是您审核的环节。")
    due = deadline(application.call, chain.LEVELS[level].step)
    if due is not None and (now or timezone.now()) > due:
        raise ServiceError(
            f"本环节截止时间（{timezone.localtime(due):%Y年%m月%d日 %H:%M}）已过，不能再审核。"
            "如需延长，请联系组织单位修改截止时间。"
        )
    return level


def quota_of(call, level: str, target: str) -> int | None:
    return next((q.max_count for q in call.quotas.all() if q.level == level and q.target == target), None)


def list_for(call, organisation, level: str, *, lock: bool = False) -> RecommendationList:
    """The level's list being drawn up; once a batch has gone up, the next recommendation opens a new batch."""
    latest = (
        RecommendationList.objects.filter(call=call, organisation=organisation, level=level).order_by("-batch").first()
    )
    if latest is None or latest.status in (ListStatus.SENT, ListStatus.PUBLISHED):
        latest, _ = RecommendationList.objects.get_or_create(
            call=call, organisation=organisation, level=level, batch=(latest.batch + 1) if latest else 1
        )
    if lock:
        latest = RecommendationList.objects.select_for_update().get(pk=latest.pk)
    return latest


def used_quota(call, organisation, level: str, target: str) -> int:
    """Entries of every batch count against the quota."""
    return ListEntry.objects.filter(
        list__call=call, list__organisation=organisation, list__level=level, target=target
    ).count()


def decide(*, actor, application: Application, decision: Decision, now=None) -> Opinion:
    """Records the level's signed opinion and applies its outcome."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(application)
        level = check_turn(actor, current, now)
        allowed = chain.outcomes_at(current.call, current.applicant_kind, level)
        if decision.outcome not in allowed:
            choices = "、".join(Outcome(o).label for o in allowed)
            if decision.outcome in Outcome.values:
                # Say what was wrong: the outcome exists but is not this level's to give.
                message = (
                    f"{ReviewLevel(level).label}不能作出“{Outcome(decision.outcome).label}”的结论，可选：{choices}。"
                )
            else:
                message = f"请选择审核结论：{choices}。"
            raise ServiceError(message, errors={"outcome": [message]})
        box = chain.box_label(current.definition, level)
        errors = {}
        if not decision.text.strip():
            errors["text"] = [f"请填写“{box}”。"]
        if decision.outcome == Outcome.RETURN and not decision.reasons.strip():
            errors["reasons"] = ["请填写退回理由，申报单位将看到这些内容。"]
        if errors:
            raise ServiceError(next(iter(errors.values()))[0], errors=errors)
        # The box is the responsible organisation's (a panel leader signs for the province that convened it).
        org = selectors.responsible_org(current.applicant, level)
        lst = None
        if decision.outcome in LISTED:
            lst = list_for(current.call, org, level, lock=True)
            if lst.status != ListStatus.OPEN:
                raise ServiceError(f"本级名单{lst.get_status_display()}，不能再加入。")
            target = chain.target_of(current.applicant_kind)
            limit = quota_of(current.call, level, target)
            used = used_quota(current.call, org, level, target)
            if limit is not None and used >= limit:
                raise ServiceError(
                    f"已达到本级推荐{QuotaTarget(target).label}名额（{limit} 个），请先从名单中移出其他申请。"
                )
        version = current.versions.order_by("-number").first()
        opinion = Opinion.objects.create(
            application=current,
            version=version,
            level=level,
            organisation=org,
            outcome=decision.outcome,
            text=decision.text.strip(),
            reasons=decision.reasons.strip(),
            signer_name=(decision.signer_name or actor.real_name or actor.get_username()).strip()[:50],
            signed_on=decision.signed_on or timezone.localdate(now),
            seal=current_seal(org),
            actor=actor,
        )
        previous = current.status
        if lst is not None:
            rank = (lst.entries.filter(target=target).aggregate(m=Max("rank"))["m"] or 0) + 1
            ListEntry.objects.create(list=lst, application=current, target=target, rank=rank, opinion=opinion)
        else:
            current.status = TRANSITIONS[chain.ACTION_OF[decision.outcome]][1]
            current.stage = ""
        current.first_reviewed_at = current.first_reviewed_at or now
        current.save(update_fields=["status", "stage", "first_reviewed_at", "updated_at"])
        log_action(
            f"review.{decision.outcome}",
            actor=actor,
            obj=current,
            changes={"status": [previous, current.status]} if previous != current.status else None,
            data={
                "level": level,
                "box": box,
                "opinion": opinion.text,
                "reasons": opinion.reasons,
                "signer": opinion.signer_name,
                "signed_on": opinion.signed_on.isoformat(),
                "seal": opinion.seal_id,
                "version": version.number,
                "list": lst.pk if lst else None,
            },
        )
    if decision.outcome not in LISTED:
        _tell_applicant(current, decision.outcome, level, opinion)
    return opinion


def _tell_applicant(application: Application, outcome: str, level: str, opinion: Opinion) -> None:
    title = f"{application.call.title}：{ReviewLevel(level).label}{Outcome(outcome).label}"
    body = opinion.reasons if outcome == Outcome.RETURN else opinion.text
    notify(
        selectors.applicant_users(application),
        kind=Kind.RESULT,
        title=title,
        body=body,
        url=reverse("programmes:application_detail", args=[application.pk]),
    )


def remove_from_list(*, actor, entry: ListEntry) -> None:
    """Takes a recommendation back while the list is still being drawn up; the application is
    back in the level's queue (the signed opinion stays in the history)."""
    with transaction.atomic():
        lst = RecommendationList.objects.select_for_update().get(pk=entry.list_id)
        if not selectors.own_list(actor, lst):
            raise ServiceError("只有本级审核人可以调整名单。")
        if lst.status != ListStatus.OPEN:
            raise ServiceError(f"名单{lst.get_status_display()}，不能再调整。")
        application = entry.application
        entry.delete()
        log_action("review.unlist", actor=actor, obj=application, data={"level": lst.level, "list": lst.pk})

"""Objections to a publicly noticed list: anyone may lodge one during the notice; the list's
organisation records how each was handled before the list may go up."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.review import selectors
from portal.review.models import ListStatus, Objection, ObjectionOutcome, ObjectionStatus, RecommendationList

OBJECTION_FILE_MAX = 10 * 1024 * 1024


def lodge(
    *,
    lst: RecommendationList,
    name: str,
    contact: str,
    text: str,
    application_id=None,
    upload=None,
    ip: str | None = None,
    now=None,
) -> Objection:
    now = now or timezone.now()
    if lst.status != ListStatus.NOTICE or not (lst.notice_starts <= now <= lst.notice_ends):
        raise ServiceError("不在公示期内，不能提出异议。")
    if lst.notice_offline:
        raise ServiceError(f"该名单在线下公示（{lst.notice_where}），异议请按公示载明的方式提出。")
    errors = {}
    if not name.strip():
        errors["name"] = ["请填写姓名（实名提出的异议才予受理）。"]
    if not contact.strip():
        errors["contact"] = ["请填写联系方式，以便告知处理结果。"]
    if len(text.strip()) < 10:
        errors["text"] = ["请具体说明异议的事实和理由（不少于10个字）。"]
    application = None
    if application_id:
        application = next(
            (
                e.application
                for e in lst.entries.select_related("application")
                if str(e.application_id) == str(application_id)
            ),
            None,
        )
        if application is None:
            errors["application"] = ["请选择名单中的申请。"]
    file_name = stored = content_type = ""
    if upload is not None:
        try:
            file_name, stored, content_type = files.accept(
                upload, max_bytes=OBJECTION_FILE_MAX, too_big="附件不能超过 10 MB。"
            )
        except files.FileRefused as refusal:
            errors["file"] = [str(refusal)]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        objection = Objection.objects.create(
            list=lst,
            application=application,
            name=name.strip()[:50],
            contact=contact.strip()[:100],
            text=text.strip(),
            file_name=file_name,
            stored_name=stored,
            content_type=content_type,
            ip_address=ip,
        )
        log_action(
            "review.objection.lodge",
            obj=lst,
            actor_username="public",
            organisation=lst.organisation,
            data={"objection": objection.pk, "application": application.pk if application else None},
        )
    notify(
        selectors.users_acting_at(lst.organisation, lst.level),
        kind=Kind.OBJECTION,
        title=f"{lst.notice_title or lst}：收到一条异议",
        body=objection.text[:200],
        url=reverse("review:list_detail", args=[lst.pk]),
    )
    return objection


def handle(
    *, actor, objection: Objection, handling: str, outcome: str = "", remove: bool = False, now=None
) -> Objection:
    """Record the outcome (异议成立 / 不成立) and its reasons. An upheld objection against an application
    on the list may take it off the list during the notice: the list's organisation then signs 不予推荐
    with the handling as its reasons, the applicant is told, and everything is audited."""
    if not selectors.own_list(actor, objection.list):
        raise ServiceError("只有名单所属单位的审核人可以处理异议。")
    errors = {}
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = ["请选择处理结论：异议成立或异议不成立。"]
    if not handling.strip():
        errors["handling"] = ["请填写处理情况（核查结果与处理意见）。"]
    if remove and outcome != ObjectionOutcome.UPHELD:
        errors["remove"] = ["只有异议成立时才能将申请移出名单。"]
    if remove and objection.application_id is None:
        errors["remove"] = ["该异议针对整个名单，没有可移出的申请。"]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    now = now or timezone.now()
    with transaction.atomic():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status == ObjectionStatus.HANDLED:
            raise ServiceError("该异议已处理。")
        current.status, current.outcome, current.handling = ObjectionStatus.HANDLED, outcome, handling.strip()
        current.handled_by, current.handled_at = actor, now
        if remove:
            _take_off_the_list(actor, current, now)
            current.removed = True
        current.save(update_fields=["status", "outcome", "handling", "removed", "handled_by", "handled_at"])
        log_action(
            "review.objection.handle",
            actor=actor,
            obj=current.list,
            changes={"status": [ObjectionStatus.PENDING, ObjectionStatus.HANDLED]},
            data={
                "objection": current.pk,
                "outcome": outcome,
                "handling": current.handling,
                "removed": current.application_id if remove else None,
            },
        )
    return current


def _take_off_the_list(actor, objection: Objection, now) -> None:
    from portal.programmes.choices import TRANSITIONS
    from portal.programmes.models import Application
    from portal.review.chain import Outcome, box_label
    from portal.review.models import ListEntry, Opinion
    from portal.review.services.decisions import _tell_applicant
    from portal.review.services.seals import current_seal

    lst = RecommendationList.objects.select_for_update().get(pk=objection.list_id)
    if lst.status != ListStatus.NOTICE:
        raise ServiceError("名单已不在公示中，不能再移出申请。")
    entry = ListEntry.objects.filter(list=lst, application_id=objection.application_id).first()
    if entry is None:
        raise ServiceError("该申请已不在名单中。")
    application = Application.objects.select_for_update(of=("self",)).get(pk=objection.application_id)
    entry.delete()
    version = application.versions.order_by("-number").first()
    text = f"经公示，异议成立，不予推荐。{objection.handling}"
    opinion = Opinion.objects.create(
        application=application,
        version=version,
        level=lst.level,
        organisation=lst.organisation,
        outcome=Outcome.NOT_RECOMMEND,
        text=text,
        reasons=objection.handling,
        signer_name=(actor.real_name or actor.get_username())[:50],
        signed_on=timezone.localdate(now),
        seal=current_seal(lst.organisation),
        actor=actor,
    )
    previous = application.status
    application.status, application.stage = TRANSITIONS["not_recommend"][1], ""
    application.save(update_fields=["status", "stage", "updated_at"])
    log_action(
        "review.objection.remove",
        actor=actor,
        obj=application,
        changes={"status": [previous, application.status]},
        data={
            "level": lst.level,
            "list": lst.pk,
            "objection": objection.pk,
            "opinion": text,
            "box": box_label(application.definition, lst.level),
        },
    )
    transaction.on_commit(lambda: _tell_applicant(application, Outcome.NOT_RECOMMEND, lst.level, opinion))

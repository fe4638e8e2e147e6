"""Objections to a publicly noticed list: anyone may lodge one during the notice; the list's
organisation records how each was handled before the list may go up."""
from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.audit.services import log_action
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.programmes import files
from portal.programmes.services import ServiceError
from portal.review import selectors
from portal.review.models import ListStatus, Objection, ObjectionStatus, RecommendationList

OBJECTION_FILE_MAX = 10 * 1024 * 1024


def lodge(*, lst: RecommendationList, name: str, contact: str, text: str, application_id=None,
          upload=None, ip: str | None = None, now=None) -> Objection:
    now = now or timezone.now()
    if lst.status != ListStatus.NOTICE or not (lst.notice_starts <= now <= lst.notice_ends):
        raise ServiceError("不在公示期内，不能提出异议。")
    errors = {}
    if not name.strip():
        errors["name"] = ["请填写姓名（实名提出的异议才予受理）。"]
    if not contact.strip():
        errors["contact"] = ["请填写联系方式，以便告知处理结果。"]
    if len(text.strip()) < 10:
        errors["text"] = ["请具体说明异议的事实和理由（不少于10个字）。"]
    application = None
    if application_id:
        application = next((e.application for e in lst.entries.select_related("application")
                            if str(e.application_id) == str(application_id)), None)
        if application is None:
            errors["application"] = ["请选择名单中的申请。"]
    stored = kind = None
    file_name = files.clean_name(upload.name) if upload is not None else ""
    if upload is not None:
        if upload.size > OBJECTION_FILE_MAX:  # known before a byte is read
            errors["file"] = ["附件不能超过 10 MB。"]
        else:
            data = upload.read()
            try:
                kind = files.sniff(data, file_name)
            except files.FileRefused as refusal:
                errors["file"] = [str(refusal)]
            else:
                stored, _ = files.store(data)
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        objection = Objection.objects.create(
            list=lst, application=application, name=name.strip()[:50], contact=contact.strip()[:100],
            text=text.strip(), file_name=(file_name if stored else ""), stored_name=stored or "",
            content_type=kind.content_type if kind else "", ip_address=ip)
        log_action("review.objection.lodge", obj=lst, actor_username="public", organisation=lst.organisation,
                   data={"objection": objection.pk, "application": application.pk if application else None})
    notify(selectors.users_acting_at(lst.organisation, lst.level), kind=Kind.OBJECTION,
           title=f"{lst.notice_title or lst}：收到一条异议", body=objection.text[:200],
           url=reverse("review:list_detail", args=[lst.pk]))
    return objection


def handle(*, actor, objection: Objection, handling: str, now=None) -> Objection:
    if not selectors.own_list(actor, objection.list):
        raise ServiceError("只有名单所属单位的审核人可以处理异议。")
    if not handling.strip():
        raise ServiceError("请填写处理情况。", errors={"handling": ["请填写处理情况（核查结果与处理意见）。"]})
    with transaction.atomic():
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status == ObjectionStatus.HANDLED:
            raise ServiceError("该异议已处理。")
        current.status, current.handling = ObjectionStatus.HANDLED, handling.strip()
        current.handled_by, current.handled_at = actor, now or timezone.now()
        current.save(update_fields=["status", "handling", "handled_by", "handled_at"])
        log_action("review.objection.handle", actor=actor, obj=current.list,
                   changes={"status": [ObjectionStatus.PENDING, ObjectionStatus.HANDLED]},
                   data={"objection": current.pk, "handling": current.handling})
    return current

"""Attachments of a draft: upload (sniffed, size-limited) and removal."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.programmes.choices import AttachmentPurpose
from portal.programmes.models import Application, Attachment
from portal.programmes.services.applications import _lock, _require_own

MB = 1024 * 1024


def _purpose_for(definition: dict, field: str, purpose: str) -> str:
    if purpose not in AttachmentPurpose.values:
        raise ServiceError("附件用途无效。")
    if field:
        spec = definition["fields"].get(field)
        if spec is None or not spec.get("attach"):
            raise ServiceError("该栏目不能上传附件。")
    return purpose


def add_attachment(
    *, actor, application: Application, name: str, data: bytes, purpose: str = AttachmentPurpose.OTHER, field: str = ""
) -> Attachment:
    _require_own(actor, application)
    name = files.clean_name(name)
    with transaction.atomic():
        current = _lock(application)
        if not current.is_editable:
            raise ServiceError(f"申请当前状态为“{current.get_status_display()}”，不能修改附件。")
        purpose = _purpose_for(current.definition, field, purpose)
        call = current.call
        if not data:
            raise ServiceError(f"“{name}”是空文件。")
        if len(data) > call.max_file_mb * MB:
            raise ServiceError(f"“{name}”大小为 {len(data) / MB:.1f} MB，超过单个附件 {call.max_file_mb} MB 的上限。")
        used = current.attachments.filter(removed_at__isnull=True).aggregate(total=Sum("size"))["total"] or 0
        if used + len(data) > call.max_total_mb * MB:
            raise ServiceError(
                f"附件总量将达到 {(used + len(data)) / MB:.1f} MB，超过每份申请 {call.max_total_mb} MB 的上限。"
            )
        try:
            kind = files.sniff(data, name)
        except files.FileRefused as refusal:
            raise ServiceError(str(refusal))
        stored_name, digest = files.store(data)
        attachment = Attachment.objects.create(
            application=current,
            purpose=purpose,
            field=field,
            original_name=name,
            stored_name=stored_name,
            content_type=kind.content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=actor,
        )
        log_action(
            "programmes.attachment.add",
            actor=actor,
            obj=current,
            data={"attachment": attachment.pk, "name": name, "size": len(data), "sha256": digest},
        )
    return attachment


def remove_attachment(*, actor, attachment: Attachment) -> None:
    application = attachment.application
    _require_own(actor, application)
    with transaction.atomic():
        current = _lock(application)
        if not current.is_editable:
            raise ServiceError(f"申请当前状态为“{current.get_status_display()}”，不能修改附件。")
        Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(removed_at=timezone.now())
        log_action(
            "programmes.attachment.remove",
            actor=actor,
            obj=current,
            data={"attachment": attachment.pk, "name": attachment.original_name},
        )

"""Seals: each organisation has a current seal, drawn from its name until a scan replaces it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.review.models import Seal
from portal.review.seal import draw_seal
from portal.review.selectors import acting_org

SEAL_TYPES = frozenset({"image/png", "image/jpeg"})
SEAL_MAX_BYTES = 2 * 1024 * 1024


def current_seal(organisation) -> Seal:
    seal = Seal.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    if seal is None:
        seal = Seal.objects.create(organisation=organisation, svg=draw_seal(organisation.name))
    return seal


def _replace(actor, organisation, **fields) -> Seal:
    with transaction.atomic():
        old = current_seal(organisation)
        Seal.objects.filter(pk=old.pk).update(retired_at=timezone.now())
        seal = Seal.objects.create(organisation=organisation, created_by=actor, **fields)
        log_action(
            "review.seal.replace",
            actor=actor,
            obj=organisation,
            data={"seal": seal.pk, "uploaded": bool(seal.image_name), "previous": old.pk},
        )
    return seal


def upload_seal(*, actor, name: str, data: bytes) -> Seal:
    """Replaces the actor's organisation's seal by a scanned image (PNG or JPEG)."""
    if not actor.has_perm("review.manage_seal"):
        raise ServiceError("您不能更换本单位公章。")
    if len(data) > SEAL_MAX_BYTES:
        raise ServiceError("公章图片不能超过 2 MB。", errors={"file": ["公章图片不能超过 2 MB。"]})
    try:
        kind = files.sniff(data, files.clean_name(name))
    except files.FileRefused as refusal:
        raise ServiceError(str(refusal), errors={"file": [str(refusal)]})
    if kind.content_type not in SEAL_TYPES:
        raise ServiceError(
            "公章须为 PNG 或 JPG 图片（建议透明背景的 PNG）。",
            errors={"file": ["公章须为 PNG 或 JPG 图片（建议透明背景的 PNG）。"]},
        )
    stored, _digest = files.store(data)
    return _replace(actor, acting_org(actor), image_name=stored, content_type=kind.content_type)


def redraw_seal(*, actor) -> Seal:
    """Goes back to the seal drawn from the organisation's name."""
    if not actor.has_perm("review.manage_seal"):
        raise ServiceError("您不能更换本单位公章。")
    org = acting_org(actor)
    return _replace(actor, org, svg=draw_seal(org.name))

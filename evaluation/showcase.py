"""示范推广: projects submit typical cases and new teaching models; the province (the call's organiser)
selects them for the public showcase, searchable by category, region, school stage and subject, with
accepted projects marked. No personal data is asked for or shown."""

from __future__ import annotations

from urllib.parse import urlparse

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from budgets.services.common import require
from evaluation.extensions import may_decide
from evaluation.models import ShowcaseCategory, ShowcaseItem, ShowcaseStatus
from portal.audit.services import log_action
from portal.core import files
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.orgs.selectors import city_names
from portal.projects.uploads import checked

STAGES = ("幼儿园", "小学", "初中", "高中", "中职", "特殊教育", "跨学段")
SUMMARY_LIMIT = 2000


def submit(*, actor, project, data: dict, upload: tuple[str, bytes] | None = None) -> ShowcaseItem:
    require(actor, "projects.edit_project", project)
    errors: dict[str, list[str]] = {}
    title = str(data.get("title", "")).strip().replace("\x00", "")
    if not title:
        errors["title"] = ["请填写标题。"]
    elif len(title) > 100:
        errors["title"] = ["标题不能超过 100 字。"]
    category = data.get("category", "")
    if category not in ShowcaseCategory.values:
        errors["category"] = ["请选择类别。"]
    stage = data.get("stage", "")
    if stage not in STAGES:
        errors["stage"] = ["请选择学段。"]
    subject = str(data.get("subject", "")).strip().replace("\x00", "")
    if not subject:
        errors["subject"] = ["请填写学科（不分学科的填“综合”）。"]
    elif len(subject) > 20:
        errors["subject"] = ["学科不能超过 20 字。"]
    summary = str(data.get("summary", "")).strip().replace("\x00", "")
    if not summary:
        errors["summary"] = ["请填写简介。"]
    elif len(summary) > SUMMARY_LIMIT:
        errors["summary"] = [f"简介不能超过 {SUMMARY_LIMIT} 字（现为 {len(summary)} 字）。"]
    video = str(data.get("video_url", "")).strip()
    if video and (urlparse(video).scheme not in ("http", "https") or not urlparse(video).netloc or len(video) > 200):
        errors["video_url"] = ["视频链接须为 http:// 或 https:// 开头的网址。"]
    passed = []
    if upload is not None:
        passed, refusals = checked([upload])
        if refusals:
            errors["file"] = refusals
    if errors:
        raise ServiceError("案例有内容需要修改。", errors=errors)
    with transaction.atomic():
        item = ShowcaseItem(
            project=project,
            title=title,
            category=category,
            stage=stage,
            subject=subject,
            summary=summary,
            video_url=video,
            submitted_by=actor,
        )
        if passed:
            name, blob, content_type = passed[0]
            item.stored_name, _ = files.store(blob)
            item.file_name, item.content_type, item.size = name, content_type, len(blob)
        item.save()
        log_action("evaluation.showcase.submit", actor=actor, obj=project, data={"item": item.pk, "title": title})
    return item


def select(*, actor, item: ShowcaseItem, selected: bool) -> ShowcaseItem:
    if not may_decide(actor, item.project):
        raise PermissionError("evaluation.manage_rounds")
    with transaction.atomic():
        current = ShowcaseItem.objects.select_for_update().get(pk=item.pk)
        before = current.status
        current.status = ShowcaseStatus.SELECTED if selected else ShowcaseStatus.DECLINED
        current.selected_at = timezone.now() if selected else None
        current.save(update_fields=["status", "selected_at"])
        log_action(
            "evaluation.showcase.select",
            actor=actor,
            obj=current.project,
            changes={"status": [before, current.status]},
            data={"item": current.pk},
        )
    return current


def public_items(params) -> QuerySet[ShowcaseItem]:
    """Selected items, filtered as the public page's search asks."""
    qs = ShowcaseItem.objects.filter(status=ShowcaseStatus.SELECTED).select_related("project__organisation")
    if (category := params.get("category", "")) in ShowcaseCategory.values:
        qs = qs.filter(category=category)
    if (stage := params.get("stage", "")) in STAGES:
        qs = qs.filter(stage=stage)
    if subject := params.get("subject", "").strip()[:20]:
        qs = qs.filter(subject=subject)
    region = params.get("region", "").strip()[:20]
    if parse_id(region) is not None:  # a division code: digits only
        qs = qs.filter(project__organisation__path__contains=f"/{region}/")
    if q := params.get("q", "").strip()[:50]:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(project__title__icontains=q))
    return qs.order_by("-selected_at", "-pk")


def regions() -> list[tuple[str, str]]:
    """The cities that have a selected item: the region filter's choices."""
    paths = set(
        ShowcaseItem.objects.filter(status=ShowcaseStatus.SELECTED).values_list(
            "project__organisation__path", flat=True
        )
    )
    names = city_names("/")
    found = {}
    for path in paths:
        for code in path.strip("/").split("/"):
            if code in names:
                found[code] = names[code]
    return sorted(found.items())

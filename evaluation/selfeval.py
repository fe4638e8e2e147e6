"""Writes of a self-evaluation (自评): the draft as typed (autosave, 409 for a second editor), the
submission as an immutable version with the project's figures frozen in it, and the opinions of the
levels between the project and the round's organiser in turn (county, then city), each of which may
return it to the project with reasons."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budgets.services.common import require, require_live
from evaluation import dossier
from evaluation.models import ENTRY_TRANSITIONS, EntryStatus, EvaluationFile, RoundEntry, SelfEvaluation
from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import Conflict, ServiceError
from portal.core.workflow import move
from portal.experts.scoring import parse_points, weighted_total
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation, User
from portal.projects.rules import SUPERVISOR_ROLE
from portal.projects.selectors import project_users

OPINION_LIMIT = 500
OPINION_KINDS = (OrgKind.COUNTY, OrgKind.CITY, OrgKind.PROVINCE)


def levels(entry: RoundEntry) -> list[Organisation]:
    """Who gives an opinion, bottom-up: the levels of the call's review chain (county, city, province)
    above the project and below the round's organiser — the same levels that recommended it."""
    project_org = entry.project.organisation
    organiser = entry.round.organisation.path
    chain = set(entry.round.call.review_chain or []) & set(OPINION_KINDS)
    above = Organisation.objects.filter(code__in=project_org.ancestor_codes(), kind__in=chain)
    return sorted(
        (o for o in above if o.path.startswith(organiser) and o.path != organiser),
        key=lambda o: len(o.path),
        reverse=True,
    )


def level_of(entry: RoundEntry) -> Organisation | None:
    return next((o for o in levels(entry) if o.kind == entry.stage), None) if entry.stage else None


def gives_opinion(user, entry: RoundEntry) -> bool:
    """The awaited level's reviewer: a province's administrators sit at a unit under the province (its
    centre), so the level is matched by the scope the user acts for, not the unit it sits at."""
    org = level_of(entry) if entry.status == EntryStatus.OPINIONS else None
    return bool(
        org
        and SUPERVISOR_ROLE[org.kind] in user.role_set
        and getattr(user.organisation, "scope_path", None) == org.path
    )


def _users_of(org: Organisation):
    return [
        u
        for u in User.objects.filter(
            is_active=True, organisation__path__under=org.path, role_grants__role=SUPERVISOR_ROLE[org.kind]
        ).distinct()
        if u.organisation.scope_path == org.path
    ]


def _lock(entry: RoundEntry) -> RoundEntry:
    return (
        RoundEntry.objects.select_for_update(of=("self",))
        .select_related("round", "project__organisation", "project__call")
        .get(pk=entry.pk)
    )


def _editable(entry: RoundEntry, action: str = "edit") -> None:
    require_live(entry.project)
    move(ENTRY_TRANSITIONS, action, entry.status)


def clean_draft(entry: RoundEntry, raw) -> dict:
    """Only the report's own keys, as text: sections and a self-score per criterion."""
    keys = set(dossier.SECTION_KEYS) | {f"self_{c.number}" for c in entry.round.criteria.all()}
    return {k: str(raw.get(k, ""))[:10000].replace("\x00", "") for k in keys if k in raw}


def save_draft(*, actor, entry: RoundEntry, raw, expected_version: int, editor: str = "") -> RoundEntry:
    require(actor, "projects.edit_project", entry.project)
    with transaction.atomic():
        current = _lock(entry)
        _editable(current)
        same_editor = bool(editor) and current.draft.get("_editor") == editor and current.updated_by_id == actor.pk
        if current.lock_version != expected_version and not same_editor:
            raise Conflict(
                "自评报告已被他人修改，您的修改尚未保存。",
                current_version=current.lock_version,
                updated_by=str(current.updated_by or "其他用户"),
                updated_at=current.updated_at,
            )
        incoming = clean_draft(current, raw)
        merged = {**current.draft, **incoming}
        if any(current.draft.get(k) != v for k, v in incoming.items()):
            current.draft = {**merged, "_editor": editor}
            current.lock_version += 1
            current.updated_by = actor
            current.save(update_fields=["draft", "lock_version", "updated_by", "updated_at"])
    return current


def draft_errors(entry: RoundEntry, *, submit: bool) -> tuple[dict, dict, Decimal | None]:
    """(errors by field, self-scores, self total) of the draft; a draft is only checked for limits."""
    errors, scores = {}, {}
    for key, label, limit, _ in dossier.SECTIONS:
        value = str(entry.draft.get(key, "")).strip()
        if submit and not value:
            errors[key] = [f"请填写“{label}”。"]
        elif len(value.replace("\n", "")) > limit:
            errors[key] = [f"“{label}”不能超过 {limit} 字（现为 {len(value.replace(chr(10), ''))} 字）。"]
    criteria = list(entry.round.criteria.all())
    for c in criteria:
        value, error = parse_points(c, entry.draft.get(f"self_{c.number}"))
        if error:
            errors[f"self_{c.number}"] = [error]
        elif value is None and submit:
            errors[f"self_{c.number}"] = [f"请为“{c.title}”自评打分。"]
        else:
            scores[str(c.number)] = value
    total = (
        weighted_total(criteria, scores)
        if len(scores) == len(criteria) and all(v is not None for v in scores.values())
        else None
    )
    return errors, scores, total


FILES_MAX = 10


def live_files(entry: RoundEntry):
    return entry.files.filter(removed_at__isnull=True)


def attach(*, actor, entry: RoundEntry, name: str, data: bytes) -> EvaluationFile:
    """A file checked by its content (projects.uploads), stored outside the web root, while the draft is open."""
    from portal.projects.uploads import checked

    require(actor, "projects.edit_project", entry.project)
    passed, refusals = checked([(name, data)])
    if refusals:
        raise ServiceError(refusals[0], errors={"file": refusals})
    with transaction.atomic():
        current = _lock(entry)
        _editable(current)
        if live_files(current).count() >= FILES_MAX:
            raise ServiceError(f"附件最多 {FILES_MAX} 个。", errors={"file": [f"附件最多 {FILES_MAX} 个。"]})
        clean, blob, content_type = passed[0]
        stored, digest = files.store(blob)
        made = EvaluationFile.objects.create(
            entry=current,
            original_name=clean,
            stored_name=stored,
            content_type=content_type,
            size=len(blob),
            sha256=digest,
            uploaded_by=actor,
        )
        log_action(
            "evaluation.selfeval.attach",
            actor=actor,
            obj=current.project,
            data={"entry": current.pk, "file": made.pk, "name": clean, "sha256": digest},
        )
    return made


def detach(*, actor, entry: RoundEntry, file: EvaluationFile) -> None:
    require(actor, "projects.edit_project", entry.project)
    with transaction.atomic():
        current = _lock(entry)
        _editable(current)
        EvaluationFile.objects.filter(pk=file.pk, entry=current).update(removed_at=timezone.now())
        log_action(
            "evaluation.selfeval.detach", actor=actor, obj=current.project, data={"entry": current.pk, "file": file.pk}
        )


def _digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def submit(*, actor, entry: RoundEntry, expected_version: int | None = None) -> SelfEvaluation:
    require(actor, "projects.edit_project", entry.project)
    with transaction.atomic():
        current = _lock(entry)
        _editable(current, "submit")
        returned = bool(current.opinions.get("returned"))
        if timezone.now() > current.round.self_due_at and not returned:
            raise ServiceError(
                f"自评报告提交截止时间（{timezone.localtime(current.round.self_due_at):%Y-%m-%d %H:%M}）已过，不能再提交。",
                errors={"__all__": ["已过自评报告提交截止时间。"]},
            )
        if expected_version is not None and current.lock_version != expected_version:
            raise Conflict(
                "自评报告已被他人修改，请刷新后再提交。",
                current_version=current.lock_version,
                updated_by=str(current.updated_by or "其他用户"),
                updated_at=current.updated_at,
            )
        errors, scores, total = draft_errors(current, submit=True)
        if errors:
            raise ServiceError(f"自评报告有 {len(errors)} 处需要修改，请按提示修改后再提交。", errors=errors)
        number = current.versions.count() + 1
        content = {
            "round": current.round.title,
            "project": {"title": current.project.title, "organisation": current.project.organisation.name},
            "sections": {k: str(current.draft.get(k, "")).strip() for k in dossier.SECTION_KEYS},
            "self_scores": {k: str(v) for k, v in scores.items()},
            "self_total": str(total),
            "figures": dossier.figures(current.project),
            "attachments": [
                {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256} for f in live_files(current)
            ],
        }
        version = SelfEvaluation.objects.create(
            entry=current,
            number=number,
            content=content,
            sha256=_digest(content),
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        chain = levels(current)
        current.opinions = {}
        current.status = EntryStatus.OPINIONS if chain else EntryStatus.FILED
        current.stage = chain[0].kind if chain else ""
        current.save(update_fields=["opinions", "status", "stage"])
        log_action(
            "evaluation.selfeval.submit",
            actor=actor,
            obj=current.project,
            changes={"status": [EntryStatus.DUE, current.status]},
            data={"entry": current.pk, "version": number, "sha256": version.sha256},
        )
    _notify_next(current)
    return version


def _notify_next(entry: RoundEntry) -> None:
    url = reverse("evaluation:entry", args=[entry.pk])
    if entry.status == EntryStatus.OPINIONS:
        org = level_of(entry)
        notify(list(_users_of(org)), kind=Kind.TO_REVIEW, title=f"{entry.project.title}：自评报告待您签署意见", url=url)
    elif entry.status == EntryStatus.FILED and entry.round.created_by:
        notify([entry.round.created_by], kind=Kind.TO_REVIEW, title=f"{entry.project.title}：自评报告已报送", url=url)


def give_opinion(*, actor, entry: RoundEntry, agree: bool, text: str) -> RoundEntry:
    """The awaited level signs its opinion (it goes up) or returns the report to the project."""
    if not gives_opinion(actor, entry):
        raise PermissionError("evaluation.opinion")
    text = str(text or "").strip().replace("\x00", "")
    if not text:
        raise ServiceError("请填写意见。", errors={"opinion": ["请填写意见。" if agree else "请填写退回理由。"]})
    if len(text) > OPINION_LIMIT:
        raise ServiceError(
            "意见过长。", errors={"opinion": [f"意见不能超过 {OPINION_LIMIT} 字（现为 {len(text)} 字）。"]}
        )
    with transaction.atomic():
        current = _lock(entry)
        if not gives_opinion(actor, current):
            raise ServiceError("自评报告已由他人处理，请刷新页面。")
        org = level_of(current)
        record = {"org": org.name, "text": text, "by": actor.display_name, "at": timezone.now().isoformat()}
        before = current.status
        if agree:
            chain = levels(current)
            position = [o.pk for o in chain].index(org.pk)
            current.opinions = {**current.opinions, org.kind: record}
            nxt = chain[position + 1] if position + 1 < len(chain) else None
            move(ENTRY_TRANSITIONS, "agree", current.status)
            current.status, current.stage = (EntryStatus.OPINIONS, nxt.kind) if nxt else (EntryStatus.FILED, "")
        else:
            current.opinions = {"returned": record}
            current.status, current.stage = move(ENTRY_TRANSITIONS, "return", current.status), ""
        current.save(update_fields=["opinions", "status", "stage"])
        log_action(
            "evaluation.selfeval.opinion" if agree else "evaluation.selfeval.return",
            actor=actor,
            obj=current.project,
            changes={"status": [before, current.status]},
            data={"entry": current.pk, "level": org.kind, "text": text},
        )
    if agree:
        _notify_next(current)
    else:
        notify(
            project_users(current.project),
            kind=Kind.RESULT,
            title=f"{current.round.title}：自评报告被退回修改",
            body=text,
            url=reverse("evaluation:entry", args=[current.pk]),
        )
    return current


def changes(entry: RoundEntry) -> list[dict]:
    """What the latest submitted version changed from the one before (a returned report refiled):
    each written part and self-score that differs, before and after."""
    latest, previous = (list(entry.versions.order_by("-number")[:2]) + [None, None])[:2]
    if latest is None or previous is None:
        return []
    out = [
        {
            "label": label,
            "before": previous.content["sections"].get(key, ""),
            "after": latest.content["sections"].get(key, ""),
        }
        for key, label, _, _ in dossier.SECTIONS
    ]
    for c in entry.round.criteria.all():
        key = str(c.number)
        out.append(
            {
                "label": f"自评得分：{c.title}",
                "before": previous.content["self_scores"].get(key, ""),
                "after": latest.content["self_scores"].get(key, ""),
            }
        )
    return [row for row in out if row["before"] != row["after"]]

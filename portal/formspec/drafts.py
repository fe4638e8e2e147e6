"""Writes of the form editor: derive a draft from a published definition, save it (as typed, with its
problems listed, under an optimistic lock), publish it as the next immutable version, discard it.

Who: the administrators who publish definitions (formspec.publish_definition) for their own
province (or the ministry); a draft belongs to that publisher, and anyone else is told it does not
exist. Every step is audited."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from portal.audit.services import log_action
from portal.core.exceptions import Conflict, ServiceError
from portal.formspec import registry, selectors, services
from portal.formspec.files import NAME
from portal.formspec.models import FormDraft, FormSchema
from portal.formspec.validate import Problem, problems

MAX_SOURCE = 512 * 1024  # a definition of 500 KB is already ten times the largest official one


def _require(actor) -> None:
    if not actor.has_perm("formspec.publish_definition") or actor.organisation is None:
        raise PermissionError("formspec.publish_definition")


def _require_own(actor, draft: FormDraft) -> None:
    """A draft is its publisher's: the pages reach it through `load`, and the service checks again, so
    that no caller can save, publish or discard another province's draft."""
    _require(actor)
    if draft.owner_id != services.publisher_of(actor).pk:
        raise PermissionError("formspec.publish_definition")


def mine(actor):
    """The drafts the actor may open: its publisher's, not yet published."""
    if not actor.has_perm("formspec.publish_definition") or actor.organisation is None:
        return FormDraft.objects.none()
    return FormDraft.objects.filter(owner=services.publisher_of(actor), published_as__isnull=True)


def next_version(key: str) -> int:
    return (FormSchema.objects.filter(key=key).aggregate(n=Max("version"))["n"] or 0) + 1


def suggested_key(actor, base: dict) -> str:
    """The base's own key when the publisher already owns it (a new version); otherwise one of the
    publisher's own, from its division code and the applicant (p330000_school)."""
    owner = services.publisher_of(actor)
    if FormSchema.objects.filter(key=base["key"], owner=owner).exists():
        return base["key"]
    stem = f"p{(owner.division_code or owner.code).lower()}_{base.get('applicant') or 'form'}"
    stem = "".join(ch for ch in stem if ch.isalnum() or ch == "_")[:34]
    key, n = stem, 1
    while not free_for(key, owner):
        n += 1
        key = f"{stem}_{n}"
    return key


def free_for(key: str, owner) -> bool:
    """Whether the publisher may use the key: not one of the portal's files, nor another publisher's
    published form or draft."""
    return not (
        registry.in_files(key)
        or FormSchema.objects.filter(key=key).exclude(owner=owner).exists()
        or FormDraft.objects.filter(key=key).exclude(owner=owner).exists()
    )


def _source_of(definition: dict) -> str:
    """The definition as stored, refused when too large or holding a NUL (json.dumps writes one as \\u0000)."""
    source = json.dumps(definition, ensure_ascii=False)
    if len(source) > MAX_SOURCE:
        raise ServiceError("表单定义过大（超过 512 KB）。")
    if "\\u0000" in source:
        raise ServiceError("表单定义含有空字符（NUL），未保存。")
    return source


def derive(*, actor, key: str, version: int) -> FormDraft:
    """A draft copy of a published version the actor reads, under a key of the actor's own."""
    _require(actor)
    base = selectors.get_version(actor, key, version).definition
    definition = json.loads(json.dumps(base))
    definition["key"] = suggested_key(actor, base)
    definition["version"] = next_version(definition["key"])
    draft = FormDraft.objects.create(
        owner=services.publisher_of(actor),
        key=definition["key"],
        base_key=key,
        base_version=version,
        source=json.dumps(definition, ensure_ascii=False),
        created_by=actor,
        updated_by=actor,
    )
    log_action("formspec.draft.derive", actor=actor, obj=draft, data={"from": f"{key} v{version}", "key": draft.key})
    return draft


def import_draft(*, actor, definition, name: str) -> FormDraft:
    """A draft from a definition file another province shared (exported there): kept under its key when
    that key is free for this publisher, else under one of the publisher's own; edited and published here."""
    _require(actor)
    from portal.formspec.files import REQUIRED

    if not isinstance(definition, dict):
        raise ServiceError(f"{name}：内容须为 JSON 对象。")
    missing = [k for k in REQUIRED if k not in definition]
    if missing:
        raise ServiceError(f"{name}：缺少 {'、'.join(missing)}，不是表单定义文件。")
    owner = services.publisher_of(actor)
    key = definition.get("key") if isinstance(definition.get("key"), str) else ""
    original = (key, definition.get("version") if isinstance(definition.get("version"), int) else 0)
    if not NAME.match(f"{key}.v1.json") or not free_for(key, owner):
        key = suggested_key(actor, definition)
    definition = {**definition, "key": key, "version": next_version(key)}
    source = _source_of(definition)
    draft = FormDraft.objects.create(
        owner=owner,
        key=key,
        base_key=original[0][:40],
        base_version=max(original[1], 0),
        source=source,
        created_by=actor,
        updated_by=actor,
    )
    log_action(
        "formspec.draft.import",
        actor=actor,
        obj=draft,
        data={"file": name[:100], "key": key, "from": f"{original[0]} v{original[1]}"},
    )
    return draft


def check(definition: dict) -> list[Problem]:
    """Everything that would stop publishing: the definition's own problems, its key and version as a
    publisher may use them, and the chains of the calls that already use its key."""
    found = problems(definition)
    key, version = definition.get("key"), definition.get("version")
    if isinstance(key, str) and isinstance(version, int) and not found:
        if registry.in_files(key):
            found.append(Problem("key", f"“{key}”是平台定义文件中的表单，请另取一个表单标识。"))
        elif not NAME.match(f"{key}.v{version}.json"):
            found.append(Problem("key", "表单标识须为 2–40 位小写字母、数字和下划线，以字母开头。"))
        elif version != next_version(key):
            found.append(Problem("version", f"“{key}”的下一个版本应为第 {next_version(key)} 版。"))
        found += services.chain_problems_of_calls(definition)
    return found


def load(actor, pk: int) -> FormDraft:
    """The actor's draft, or FormDraft.DoesNotExist (a 404: another publisher's draft is not named)."""
    return mine(actor).select_related("updated_by").get(pk=pk)


def save(*, actor, draft: FormDraft, definition, revision) -> tuple[FormDraft, list[Problem]]:
    """Stores the definition as typed if `revision` is the draft's current one; Conflict otherwise."""
    _require_own(actor, draft)
    if not isinstance(definition, dict):
        raise ServiceError("表单定义须为 JSON 对象。")
    if not isinstance(revision, int) or isinstance(revision, bool):
        raise ServiceError("缺少草稿的修订号（revision）。")
    source = _source_of(definition)
    with transaction.atomic():
        # of=self: the editor is an outer join, which PostgreSQL will not lock.
        current = FormDraft.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=draft.pk)
        if current.published_as_id:
            raise ServiceError("此草稿已发布，不能再修改；请从已发布的版本另行派生。")
        if current.revision != revision:
            who = current.updated_by.display_name if current.updated_by else "他人"
            raise Conflict(
                f"{who} 已于 {timezone.localtime(current.updated_at):%H:%M:%S} 保存了此草稿的新内容，"
                "您的修改未保存。请载入对方的版本后再修改。",
                current_version=current.revision,
                updated_by=who,
                updated_at=current.updated_at,
            )
        current.source, current.revision, current.updated_by = source, revision + 1, actor
        current.key = str(definition.get("key") or current.key)[:40]
        current.save()
        log_action("formspec.draft.save", actor=actor, obj=current, data={"revision": current.revision})
    return current, check(definition)


def publish(*, actor, draft: FormDraft, revision: int) -> FormSchema:
    """The draft, as last saved, published as its key's next version (services.publish checks again)."""
    _require_own(actor, draft)
    with transaction.atomic():
        current = FormDraft.objects.select_for_update().get(pk=draft.pk)
        if current.published_as_id:
            raise ServiceError("此草稿已发布。")
        if current.revision != revision:
            raise ServiceError("草稿在您预览之后又被修改过，请重新预览后再发布。")
        definition = current.definition
        found = check(definition)
        if found:
            raise ServiceError(f"表单定义有 {len(found)} 处问题，未发布。", errors={p.path: [p.message] for p in found})
        schema = services.publish(actor=actor, definition=definition)
        current.published_as = schema
        current.save(update_fields=["published_as", "updated_at"])
        log_action(
            "formspec.draft.publish", actor=actor, obj=current, data={"key": schema.key, "version": schema.version}
        )
    return schema


def discard(*, actor, draft: FormDraft) -> None:
    _require_own(actor, draft)
    log_action("formspec.draft.discard", actor=actor, obj=draft, data={"key": draft.key})
    draft.delete()

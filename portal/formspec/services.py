"""Publishing a definition: a province (or the ministry) publishes a form it derived — in the editor
(drafts.py), or as a file it imported or sent to the API — as a new immutable version. Checked
as the files are (validate.problems); a key of the portal's own files or of another publisher is not
theirs to version; a version is the next of its key, never a rewrite. Audited."""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction

from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.formspec.files import NAME
from portal.formspec.models import FormSchema
from portal.formspec.registry import fingerprint, in_files
from portal.formspec.validate import Problem, chain_problems, problems
from portal.orgs.models import Organisation


def publisher_of(actor) -> Organisation:
    """The organisation a definition is published for: the actor's scope (a centre's province)."""
    return Organisation.objects.get(path=actor.organisation.scope_path)


def chain_problems_of_calls(definition: dict) -> list[Problem]:
    """For each call already using the definition's key (a new version is what its next applications
    fill), the levels of its chain above the applicant that the form gives no box (validate.chain_problems)."""
    from portal.programmes.models import CallForm
    from portal.review.chain import LEVELS, applicant_rank

    out = []
    for form in CallForm.objects.filter(form_key=definition["key"]).select_related("call"):
        chain = [
            lv
            for lv in form.call.review_chain
            if lv in LEVELS and LEVELS[lv].rank > applicant_rank(form.applicant_kind)
        ]
        for problem in chain_problems(definition, chain):
            out.append(Problem(problem.path, f"申报批次“{form.call.title}”使用此表：{problem.message}"))
    return out


def publish(*, actor, definition) -> FormSchema:
    if not actor.has_perm("formspec.publish_definition") or actor.organisation is None:
        raise PermissionError("formspec.publish_definition")
    if not isinstance(definition, dict):
        raise ServiceError("表单定义须为 JSON 对象。")
    found = problems(definition)
    if not found and isinstance(definition.get("key"), str):
        found = chain_problems_of_calls(definition)
    if found:
        raise ServiceError(f"表单定义有 {len(found)} 处问题，未发布。", errors={p.path: [p.message] for p in found})
    key, version = definition["key"], definition["version"]
    if not NAME.match(f"{key}.v{version}.json"):
        raise ServiceError("表单标识或版本号无效。", errors={"key": ["表单标识须为小写字母开头的字母、数字和下划线。"]})
    if in_files(key):
        raise ServiceError(
            f"“{key}”是平台定义文件中的表单，请另取一个表单标识（如 zhejiang_school）发布派生的表单。",
            errors={"key": [f"“{key}”由平台定义文件维护。"]},
        )
    owner = publisher_of(actor)
    with transaction.atomic():
        # of=self: the owner is an outer join, which PostgreSQL will not lock.
        existing = list(FormSchema.objects.select_for_update(of=("self",)).filter(key=key).select_related("owner"))
        others = {row.owner for row in existing if row.owner_id != owner.pk}
        if others:
            raise ServiceError(
                f"表单标识“{key}”已由{others.pop().name}使用，请另取一个标识。",
                errors={"key": [f"“{key}”已被其他单位使用。"]},
            )
        expected = max((row.version for row in existing), default=0) + 1
        if version != expected:
            raise ServiceError(
                f"“{key}”的下一个版本应为第 {expected} 版（已发布的版本不能改写）。",
                errors={"version": [f"应为 {expected}。"]},
            )
        definition.setdefault("computed", {})
        try:
            schema = FormSchema.objects.create(
                key=key,
                version=version,
                title=definition["title"],
                source=json.dumps(definition, ensure_ascii=False),
                sha256=fingerprint(definition),
                owner=owner,
                published_by=actor,
            )
        except IntegrityError:
            raise ServiceError(f"“{key}”第 {version} 版刚刚已发布，请刷新后重试。")
        log_action(
            "formspec.definition.publish",
            actor=actor,
            obj=schema,
            data={"key": key, "version": version, "sha256": schema.sha256, "owner": owner.code},
        )
    return schema

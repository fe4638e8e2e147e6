"""Applications: start a draft, save it, submit, withdraw, return for revision."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from portal.audit.services import log_action
from portal.core.exceptions import Conflict, ServiceError
from portal.formspec.fields import form_class
from portal.formspec.registry import canonical_json, schema_for
from portal.formspec.values import clean_raw, compute, typed_values
from portal.programmes.choices import TRANSITIONS, AttachmentPurpose
from portal.programmes.eligibility import applicant_kind_for, refusals
from portal.programmes.forms_context import call_context
from portal.programmes.models import Application, ApplicationVersion, Call
from portal.review.services import routing


def _move(application: Application, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if application.status not in sources:
        raise ServiceError(f"当前状态为“{application.get_status_display()}”，不能执行此操作。")
    return target


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "applicant", "schema")
        .get(pk=application.pk)
    )


def _require_own(actor, application: Application) -> None:
    if not actor.has_perm("programmes.apply") or actor.organisation_id != application.applicant_id:
        raise ServiceError("只有申报单位的申报人可以进行此操作。")


def prefill(definition: dict, organisation) -> dict:
    sources = {
        "org_name": organisation.name,
        "org_address": organisation.address,
        "org_postcode": organisation.postcode,
        "org_school_type": organisation.school_type,
    }
    return {
        name: sources[spec["prefill"]]
        for name, spec in definition["fields"].items()
        if spec.get("prefill") and sources.get(spec["prefill"])
    }


def start_application(*, actor, call: Call) -> Application:
    """Creates the organisation's draft in a call, after the eligibility checks."""
    if not actor.has_perm("programmes.apply"):
        raise ServiceError("您没有申报权限。")
    organisation = actor.organisation
    reasons = refusals(call, organisation)
    if reasons:
        raise ServiceError(reasons[0], errors={"__all__": reasons})
    kind = applicant_kind_for(call, organisation)
    form_key = next(f.form_key for f in call.forms.all() if f.applicant_kind == kind)
    schema = schema_for(form_key)
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            applicant=organisation,
            applicant_kind=kind,
            schema=schema,
            data=prefill(schema.definition, organisation),
            created_by=actor,
            updated_by=actor,
        )
        log_action(
            "programmes.application.create",
            actor=actor,
            obj=application,
            data={"call": call.pk, "form": f"{schema.key} v{schema.version}"},
        )
    return application


def bound_form(application: Application, *, data: dict | None = None, mode: str = "draft"):
    definition = application.definition
    cls = form_class(definition, call_context(application.call))
    return cls(data=application.data if data is None else data, mode=mode)


def _same_editor(current: Application, actor, editor: str) -> bool:
    """The version the client did not know of was saved in the same editing session (the same
    person's browser): the autosave sent as the page unloaded for an upload or a submit, or another
    tab. That is not a conflict — the newest request carries the latest of that person's edits.
    Another person, or an API client (no session), still gets the conflict."""
    return bool(editor) and current.updated_in == editor and current.updated_by_id == actor.pk


def editor_of(request) -> str:
    """A hash of the browser session that names one editing session without storing its key."""
    import hashlib

    key = getattr(getattr(request, "session", None), "session_key", None)
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def save_draft(*, actor, application: Application, raw: dict, expected_version: int, editor: str = "") -> Application:
    """Stores the draft as typed (valid or not) unless someone saved since `expected_version`."""
    _require_own(actor, application)
    with transaction.atomic():
        current = _lock(application)
        if not current.is_editable:
            raise ServiceError(f"申请当前状态为“{current.get_status_display()}”，不能修改。")
        if current.lock_version != expected_version and not _same_editor(current, actor, editor):
            who = current.updated_by.display_name if current.updated_by else "其他用户"
            raise Conflict(
                f"{who} 已于 {timezone.localtime(current.updated_at):%H:%M:%S} 保存了新的内容，"
                "您的修改未保存。请先复制您的修改，刷新页面后再合并。",
                current_version=current.lock_version,
                updated_by=who,
                updated_at=current.updated_at,
            )
        incoming = clean_raw(current.definition, raw)
        merged = {**current.data, **incoming}
        changed = sorted(k for k in merged if current.data.get(k) != merged.get(k))
        if changed:
            current.data = merged
            current.lock_version += 1
            current.title = str(merged.get("experiment_name") or "")[:200]
            current.updated_by, current.updated_in = actor, editor
            current.save(update_fields=["data", "lock_version", "title", "updated_by", "updated_in", "updated_at"])
            log_action("programmes.application.save", actor=actor, obj=current, data={"fields": changed[:50]})
    return current


def snapshot(application: Application, cleaned: dict) -> tuple[dict, str]:
    from portal.programmes.selectors import live_attachments

    definition = application.definition
    values = typed_values(definition, cleaned)
    content = {
        "form": {
            "key": application.schema.key,
            "version": application.schema.version,
            "sha256": application.schema.sha256,
        },
        "applicant": {"code": application.applicant.code, "name": application.applicant.name},
        "call": {"id": application.call_id, "title": application.call.title},
        # The category names as the call listed them at submission, so the version keeps its meaning.
        "categories": call_context(application.call).categories,
        "values": values,
        "computed": compute(definition, values),
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "purpose": a.purpose,
                "field": a.field,
                "size": a.size,
                "sha256": a.sha256,
                "content_type": a.content_type,
            }
            for a in live_attachments(application).order_by("pk")
        ],
    }
    return content, hashlib.sha256(canonical_json(content)).hexdigest()


def _evidence_errors(application: Application) -> dict:
    from portal.programmes.selectors import live_attachments

    definition = application.definition
    have = set(live_attachments(application).filter(purpose=AttachmentPurpose.EVIDENCE).values_list("field", flat=True))
    return {
        name: [f"「{spec['label']}」须提供必要支撑材料，请上传至少一个附件。"]
        for name, spec in definition["fields"].items()
        if spec.get("attach") == "evidence" and name not in have
    }


def submit_application(*, actor, application: Application, expected_version: int | None = None) -> ApplicationVersion:
    """Validates everything, checks eligibility again, and freezes the draft as a new version."""
    _require_own(actor, application)
    with transaction.atomic():
        current = _lock(application)
        target = _move(current, "submit")
        if expected_version is not None and current.lock_version != expected_version:
            raise Conflict(
                "申请已被他人修改，请刷新后再提交。",
                current_version=current.lock_version,
                updated_by=current.updated_by.display_name if current.updated_by else "",
                updated_at=current.updated_at,
            )
        reasons = refusals(current.call, current.applicant, ignore=current)
        if reasons:
            raise ServiceError(reasons[0], errors={"__all__": reasons})
        form = bound_form(current, mode="submit")
        errors = {} if form.is_valid() else {k: list(v) for k, v in form.errors.items()}
        for name, messages in _evidence_errors(current).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ServiceError(f"申请表有 {len(errors)} 处需要修改，请按提示修改后再提交。", errors=errors)
        content, digest = snapshot(current, form.cleaned_data)
        now = timezone.now()
        version = ApplicationVersion.objects.create(
            application=current,
            number=current.version_count + 1,
            schema=current.schema,
            content=content,
            sha256=digest,
            submitted_by=actor,
            submitted_at=now,
        )
        previous = current.status
        current.status, current.submitted_at, current.version_count = target, now, version.number
        # Every submission, a revised one too, starts at the first level of the call's chain.
        routing.enter(current, routing.first_stage(current), now)
        current.save(update_fields=["status", "submitted_at", "version_count", "stage", "stage_since", "updated_at"])
        log_action(
            "programmes.application.submit",
            actor=actor,
            obj=current,
            changes={"status": [previous, target]},
            data={"version": version.number, "sha256": digest, "stage": current.stage},
        )
    if current.stage:
        routing.announce([current], current.stage)
    return version


def withdraw_application(*, actor, application: Application) -> Application:
    """The applicant takes a submitted application back, as long as no review has started."""
    _require_own(actor, application)
    with transaction.atomic():
        current = _lock(application)
        target = _move(current, "withdraw")
        if current.first_reviewed_at is not None:
            raise ServiceError("审核已经开始，不能撤回。如需修改，请联系审核单位退回。")
        previous, current.status, current.stage = current.status, target, ""
        current.save(update_fields=["status", "stage", "updated_at"])
        log_action("programmes.application.withdraw", actor=actor, obj=current, changes={"status": [previous, target]})
    return current

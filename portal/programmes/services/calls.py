"""Calls: an administrator writes a call's whole configuration in one step."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from portal.audit.services import diff, log_action
from portal.core.exceptions import ServiceError
from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation
from portal.programmes.models import Call, CallCategory, CallDeadline, CallForm, CallQuota, Programme

CALL_FIELDS = [
    "title",
    "issuing_authority",
    "document_number",
    "notice_title",
    "summary",
    "contact_info",
    "is_published",
    "opens_at",
    "multiple_categories",
    "target_zones",
    "target_schools",
    "review_chain",
    "notice_levels",
    "notice_days",
    "cycle_years",
    "extension_years_max",
    "max_file_mb",
    "max_total_mb",
    "exclusion_note",
    "report_cadence",
    "plan_due_days",
    "monthly_pilot_reports",
]


@dataclass
class CallConfig:
    """Everything an administrator sets for a call, as plain values."""

    programme: Programme
    values: dict  # CALL_FIELDS
    forms: dict[str, str]  # applicant kind → form key
    categories: list[dict]  # [{number, name, keywords}]
    quotas: list[dict] = field(default_factory=list)  # [{level, target, max_count}]
    deadlines: list[dict] = field(default_factory=list)  # [{step, due_at, note}]
    excluded_calls: list[Call] = field(default_factory=list)
    excluded_organisations: list[Organisation] = field(default_factory=list)


def organiser_of(actor) -> Organisation:
    """A centre acts for its province department; the ministry and a department for themselves."""
    org = actor.organisation
    return org.parent if org.kind == OrgKind.CENTRE else org


def _check_boxes(forms: dict[str, str], chain: list[str]) -> None:
    """Each level of the chain has a box on every form the call uses, or the form says where its opinion
    goes instead (validate.chain_problems): no reviewer signs an opinion the print has no place for."""
    from portal.formspec.registry import schema_for
    from portal.formspec.validate import chain_problems
    from portal.review.chain import LEVELS, applicant_rank

    errors = {}
    for kind, key in forms.items():
        if not key:
            continue
        try:
            definition = schema_for(key).definition
        except KeyError:
            errors[f"form_{kind}"] = [f"申请表“{key}”不存在。"]
            continue
        # Only the levels above the applicant review it (a county's own zone skips the county).
        above = [level for level in chain if level in LEVELS and LEVELS[level].rank > applicant_rank(kind)]
        found = chain_problems(definition, above)
        if found:
            errors[f"form_{kind}"] = [f"“{definition['title']}”：{p.message}" for p in found]
    if errors:
        raise ServiceError("所选申请表与审核流程不匹配。", errors=errors)


def save_call(*, actor, config: CallConfig, call: Call | None = None) -> Call:
    """Creates or updates a call with its forms, categories, quotas and deadlines."""
    if not actor.has_perm("programmes.manage_call"):
        raise ServiceError("您没有管理申报批次的权限。")
    if config.values.get("notice_days", 5) < 5:
        raise ServiceError("公示时间不少于5天。", errors={"notice_days": ["公示时间不少于5天。"]})
    chain = config.values.get("review_chain", call.review_chain if call else [])
    _check_boxes(config.forms, chain)
    with transaction.atomic():
        creating = call is None
        before = {} if creating else {name: getattr(call, name) for name in CALL_FIELDS}
        if creating:
            call = Call(organisation=organiser_of(actor), created_by=actor)
        call.programme = config.programme
        for name in CALL_FIELDS:
            if name in config.values:
                setattr(call, name, config.values[name])
        call.save()
        call.forms.all().delete()
        CallForm.objects.bulk_create(
            CallForm(call=call, applicant_kind=k, form_key=v) for k, v in config.forms.items() if v
        )
        call.categories.all().delete()
        CallCategory.objects.bulk_create(CallCategory(call=call, **c) for c in config.categories)
        call.quotas.all().delete()
        CallQuota.objects.bulk_create(CallQuota(call=call, **q) for q in config.quotas)
        call.deadlines.all().delete()
        CallDeadline.objects.bulk_create(CallDeadline(call=call, **d) for d in config.deadlines)
        call.excluded_calls.set([c for c in config.excluded_calls if c.pk != call.pk])
        call.excluded_organisations.set(config.excluded_organisations)
        after = {name: getattr(call, name) for name in CALL_FIELDS}
        log_action(
            "programmes.call.create" if creating else "programmes.call.update",
            actor=actor,
            obj=call,
            changes=diff(before, after) if not creating else None,
            data={
                "forms": config.forms,
                "categories": len(config.categories),
                "quotas": config.quotas,
                "deadlines": [{"step": d["step"], "due_at": d["due_at"].isoformat()} for d in config.deadlines],
            },
        )
    return call

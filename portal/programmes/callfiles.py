"""A call as a file: `fixtures/calls/*.json` holds the demo's calls as an administrator would set them
on the call page — notice, chain, quotas, categories, forms, deadlines counted in days from the
opening, rubrics — so a province can copy one, edit it and load it with `manage.py load_call`.

A file may name another it is `based_on` and override parts of it (the 2020 list call is the 2019
call with another title and number). Dates are relative so that a loaded call is open now."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.core import fixtures
from portal.core.boundary import BadJSON, load_json
from portal.experts.models import Criterion, Rubric
from portal.experts.services.pool import save_rubric
from portal.orgs.models import Organisation
from portal.programmes.models import Call, Programme
from portal.programmes.services.calls import CALL_FIELDS, CallConfig, save_call

KEYS = {"based_on", "programme", "call", "forms", "categories", "quotas", "deadlines", "excluded_calls", "rubrics"}
DEADLINE_TIME = (17, 30)  # the notices' 下班前: a deadline day ends at 17:30


class CallFileError(Exception):
    """The file cannot become a call; the message says where, in Chinese."""


def read(name: str | Path) -> dict:
    """A call file by name under fixtures/calls/ or by path, with its `based_on` file merged in."""
    candidate = Path(name)
    file = candidate if candidate.is_file() else fixtures.path(f"calls/{name}")
    try:
        data = load_json(file.read_bytes(), what=f"批次文件“{name}”", kind="UTF-8 JSON")
    except FileNotFoundError:
        raise CallFileError(f"找不到批次文件“{name}”。")
    except BadJSON as refusal:
        raise CallFileError(str(refusal))
    if not isinstance(data, dict):
        raise CallFileError(f"批次文件“{name}”的顶层须为对象。")
    unknown = set(data) - KEYS
    if unknown:
        raise CallFileError(f"批次文件“{name}”含无法识别的项：{'、'.join(sorted(unknown))}。")
    if "based_on" in data:
        base = read(file.parent / data["based_on"])
        data = {
            **base,
            **{k: v for k, v in data.items() if k != "based_on"},
            "call": {**base["call"], **data.get("call", {})},
        }
    return data


def _at(opens_at: datetime, days: int) -> datetime:
    hour, minute = DEADLINE_TIME
    return (timezone.localtime(opens_at) + timedelta(days=days)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )


def _organisation(code: str) -> Organisation:
    try:
        return Organisation.objects.get(code=code)
    except Organisation.DoesNotExist:
        raise CallFileError(f"批次文件中的主管机构代码“{code}”不存在，请先导入机构。")


def config_from(
    data: dict, *, opens_at: datetime, excluded_calls: list[Call] | None = None, published: frozenset = frozenset()
) -> CallConfig:
    """The CallConfig a file describes, opening at `opens_at`. Excluded calls are named in the file by
    their 文号; a caller that already holds them passes them instead."""
    unknown = set(data.get("call", {})) - set(CALL_FIELDS)
    if unknown:
        raise CallFileError(f"批次设置中含无法识别的项：{'、'.join(sorted(unknown))}。")
    _check(data, published)
    spec = data["programme"]
    programme, _ = Programme.objects.update_or_create(
        code=spec["code"], defaults={"name": spec["name"], "organisation": _organisation(spec["organisation"])}
    )
    if excluded_calls is None:
        numbers = data.get("excluded_calls", [])
        excluded_calls = list(Call.objects.filter(document_number__in=numbers))
        missing = set(numbers) - {c.document_number for c in excluded_calls}
        if missing:
            raise CallFileError(f"“已立项不得再申报的批次”中的文号不存在：{'、'.join(sorted(missing))}。")
    return CallConfig(
        programme=programme,
        values={**data["call"], "opens_at": opens_at},
        forms=dict(data["forms"]),
        categories=[
            {"number": i, "name": c["name"], "keywords": list(c["keywords"])}
            for i, c in enumerate(data["categories"], 1)
        ],
        quotas=[dict(q) for q in data.get("quotas", [])],
        deadlines=[
            {"step": d["step"], "due_at": _at(opens_at, d["days_after_opening"]), "note": d.get("note", "")}
            for d in data.get("deadlines", [])
        ],
        excluded_calls=excluded_calls,
    )


def _check(data: dict, published: frozenset = frozenset()) -> None:
    """What the call page refuses, refused here too: a file is edited by hand. `published`: the keys of
    forms provinces published that the loading user's calls may use."""
    from portal.formspec.registry import choices as form_choices
    from portal.programmes.choices import ApplicantKind, ReviewLevel
    from portal.review.chain import chain_refusals

    for key in ("programme", "call", "forms", "categories"):
        if key not in data:
            raise CallFileError(f"批次文件缺少“{key}”项。")
    chain = data["call"].get("review_chain", [])
    unknown = [level for level in chain + data["call"].get("notice_levels", []) if level not in ReviewLevel.values]
    if unknown:
        raise CallFileError(f"未知的审核层级：{'、'.join(unknown)}；可选：{'、'.join(ReviewLevel.values)}。")
    refusals = chain_refusals(chain)
    if refusals:
        raise CallFileError("审核推荐流程有误：" + "".join(refusals))
    forms = {key for key, _ in form_choices()} | set(published)
    for kind, form in data["forms"].items():
        if kind not in ApplicantKind.values:
            raise CallFileError(f"未知的申报主体类别“{kind}”；可选：{'、'.join(ApplicantKind.values)}。")
        if form not in forms:
            raise CallFileError(f"未知的申请表“{form}”；可选：{'、'.join(sorted(forms))}。")


def criteria(rows: list[dict]) -> list[dict]:
    """A rubric's rows as the rubric service takes them, numbered in the file's order."""
    try:
        return [
            {
                "number": i,
                "title": row["title"],
                "guidance": row.get("guidance", ""),
                "max_points": Decimal(str(row["points"])),
                "weight": Decimal(str(row.get("weight", 1))),
            }
            for i, row in enumerate(rows, 1)
        ]
    except (KeyError, InvalidOperation) as exc:
        raise CallFileError(f"评分表的评分项须有 title 和数字 points：{exc}")


def save_rubrics(*, actor, call: Call, data: dict) -> None:
    """The file's rubrics, for applicant kinds that have none yet (one edited on the pages is kept)."""
    for rubric in data.get("rubrics", []):
        rows = criteria(rubric["criteria"])
        for kind in rubric["applicant_kinds"]:
            if call.rubrics.filter(applicant_kind=kind).exists():
                continue
            if actor.has_perm("experts.manage"):
                save_rubric(actor=actor, call=call, applicant_kind=kind, name=rubric["name"], criteria=rows)
            else:
                # The ministry's own expert group scores national zones (no provincial pool manages it).
                made = Rubric.objects.create(call=call, applicant_kind=kind, name=rubric["name"])
                Criterion.objects.bulk_create(Criterion(rubric=made, **row) for row in rows)


@transaction.atomic
def load_call(*, actor, data: dict, opens_at: datetime | None = None) -> Call:
    """Creates the call a file describes, or updates the call with its 文号; idempotent."""
    opens_at = opens_at or timezone.now()
    existing = Call.objects.filter(document_number=data["call"]["document_number"]).first()
    from portal.formspec.registry import published_in_scope

    published = frozenset(row.key for row in published_in_scope(actor) if row.definition.get("use") != "project")
    call = save_call(actor=actor, config=config_from(data, opens_at=opens_at, published=published), call=existing)
    save_rubrics(actor=actor, call=call, data=data)
    return call

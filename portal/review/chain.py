"""The review chain as plain data: who acts at each level, what they may decide, which opinion box
of the form they fill, and which deadline applies. Services read these tables; nothing else
decides who may move an application."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from portal.orgs.choices import OrgKind, Role
from portal.programmes.choices import ApplicantKind, QuotaTarget, ReviewLevel, Step


class Outcome(models.TextChoices):
    RECOMMEND = "recommend", "推荐"
    RETURN = "return", "退回修改"
    NOT_RECOMMEND = "not_recommend", "不予推荐"
    APPROVE = "approve", "同意立项"
    REJECT = "reject", "不同意立项"


@dataclass(frozen=True)
class LevelRule:
    role: str  # the role that acts
    org_kind: str  # the kind of the applicant's ancestor that is responsible
    box: str  # the opinion box's name when the form has none for this level
    step: str  # the call's deadline step for this level
    rank: int  # an applicant at or above this rank skips the level


LEVELS: dict[str, LevelRule] = {
    ReviewLevel.COUNTY: LevelRule(Role.COUNTY_REVIEWER, OrgKind.COUNTY, "县级教育行政部门推荐意见", Step.COUNTY, 1),
    ReviewLevel.CITY: LevelRule(Role.CITY_REVIEWER, OrgKind.CITY, "市级教育行政部门审核推荐意见", Step.CITY, 2),
    # Until expert panels exist (expert-review issue) the provincial administrator records the
    # panel's signed opinion at this level.
    ReviewLevel.EXPERT: LevelRule(Role.PROVINCE_ADMIN, OrgKind.PROVINCE, "专家组评审意见", Step.EXPERT, 3),
    ReviewLevel.PROVINCE: LevelRule(Role.PROVINCE_ADMIN, OrgKind.PROVINCE, "省级教育行政部门意见", Step.PROVINCE, 3),
    ReviewLevel.MINISTRY: LevelRule(Role.MINISTRY_REVIEWER, OrgKind.MINISTRY, "审核意见", Step.DECISION, 4),
}

# The rank of the applicant itself: a county bureau applying as a zone is not reviewed by its own county.
APPLICANT_RANK = {ApplicantKind.SCHOOL: 0, ApplicantKind.ZONE_COUNTY: 1, ApplicantKind.ZONE_CITY: 2}

# Organisations that act for a responsible organisation (a provincial centre for its department).
ACTS_FOR = {OrgKind.CENTRE: OrgKind.PROVINCE}

# Outcomes offered at a level: the last level of the chain decides, the others recommend.
PASSING = (Outcome.RECOMMEND, Outcome.RETURN, Outcome.NOT_RECOMMEND)
DECIDING = (Outcome.APPROVE, Outcome.RETURN, Outcome.REJECT)
# A panel leader recommends or not; returning the form is the administrator's call.
PANEL = (Outcome.RECOMMEND, Outcome.NOT_RECOMMEND)

# Outcome → the programmes TRANSITIONS action it performs.
ACTION_OF = {
    Outcome.RECOMMEND: "recommend",
    Outcome.RETURN: "return",
    Outcome.NOT_RECOMMEND: "not_recommend",
    Outcome.APPROVE: "approve",
    Outcome.REJECT: "reject",
}

# An outcome that puts the application on the level's list (to be ranked, publicly noticed and sent on).
LISTED = frozenset({Outcome.RECOMMEND, Outcome.APPROVE})
# Outcomes whose box carries the organisation's seal on the printed form.
SEALED = LISTED


# Levels whose turn is decided elsewhere: a gate(user, application) answers True/False, or None when it
# has no say on that application (then the level's role rule applies). The expert panels register
# one for the expert level: only the leader of the panel that reviewed an application signs its box.
GATES: dict[str, object] = {}


def register_gate(level: str, gate) -> None:
    GATES[level] = gate


def applicant_rank(applicant_kind: str, parent_kind: str | None = None) -> int:
    """The rank an applicant acts at. A school directly under a city bureau ranks as a county: 东莞,
    中山, 嘉峪关 and 儋州 have no county level, so their schools skip the county level of a chain."""
    if applicant_kind == ApplicantKind.SCHOOL and parent_kind == OrgKind.CITY:
        return APPLICANT_RANK[ApplicantKind.ZONE_COUNTY]
    return APPLICANT_RANK[applicant_kind]


def chain_refusals(chain: list[str]) -> list[str]:
    """Why a call's review chain is illogical, in the order a reader checks it; empty when it is sound.
    Levels go up the hierarchy (县 → 市 → 省 → 教育部), each once; the expert panel comes before the
    province's decision and never decides itself."""
    refusals = []
    if not chain:
        return ["请设置审核推荐流程。"]
    if len(set(chain)) != len(chain):
        refusals.append("审核推荐流程中同一层级只能出现一次。")
    for lower, upper in zip(chain, chain[1:]):
        if LEVELS[upper].rank < LEVELS[lower].rank:
            refusals.append(
                f"“{ReviewLevel(upper).label}”不能排在“{ReviewLevel(lower).label}”之后："
                "审核推荐应自下而上（县级 → 市级 → 省级 → 教育部）。"
            )
        elif (lower, upper) == (ReviewLevel.PROVINCE, ReviewLevel.EXPERT):
            refusals.append(
                f"“{ReviewLevel.EXPERT.label}”应排在“{ReviewLevel.PROVINCE.label}”之前：专家评审意见供省级决定时参考。"
            )
    if chain[-1] == ReviewLevel.EXPERT:
        refusals.append(f"“{ReviewLevel.EXPERT.label}”不能作为最后一步：最后一步是作出立项决定的层级。")
    return refusals


def stages(call, applicant_kind: str, parent_kind: str | None = None) -> list[str]:
    """The levels an application of this kind (from under a `parent_kind` organisation) passes through, in order."""
    own = applicant_rank(applicant_kind, parent_kind)
    return [level for level in call.review_chain if level in LEVELS and LEVELS[level].rank > own]


def stages_of(application) -> list[str]:
    return stages(application.call, application.applicant_kind, parent_kind_of(application))


def parent_kind_of(application) -> str | None:
    applicant = application.applicant
    return applicant.parent.kind if applicant.parent_id else None


def next_stage(call, applicant_kind: str, level: str, parent_kind: str | None = None) -> str | None:
    chain = stages(call, applicant_kind, parent_kind)
    i = chain.index(level)
    return chain[i + 1] if i + 1 < len(chain) else None


def is_deciding(call, level: str) -> bool:
    """The call's last level decides; no applicant kind skips it (skipping drops only lower levels)."""
    return bool(call.review_chain) and level == call.review_chain[-1]


def outcomes_at(call, applicant_kind: str, level: str) -> tuple[str, ...]:
    return DECIDING if is_deciding(call, level) else PASSING


def target_of(applicant_kind: str) -> str:
    return QuotaTarget.SCHOOL if applicant_kind == ApplicantKind.SCHOOL else QuotaTarget.ZONE


def box_label(definition: dict, level: str) -> str:
    """The form's own name for the level's opinion box, or the level's usual name."""
    for box in definition.get("opinions", []):
        if box["level"] == level and box.get("label"):
            return box["label"]
    return LEVELS[level].box


def box_signer(definition: dict, level: str) -> str:
    for box in definition.get("opinions", []):
        if box["level"] == level:
            return box.get("signer", "")
    return ""


def acting_kind(organisation) -> str:
    return ACTS_FOR.get(organisation.kind, organisation.kind)

"""Workflows as data: `move` leads an action from the statuses it may start from to its target (or
leaves the status where it is), and refuses otherwise with the action's own words or the status named.
Every transition table of the portal names only statuses its model has."""

import pytest

from budgets.choices import ADJUSTMENT_TRANSITIONS, PLAN_TRANSITIONS, AdjustmentStatus, PlanStatus
from evaluation.models import (
    ENTRY_TRANSITIONS,
    EXTENSION_TRANSITIONS,
    RECTIFICATION_TRANSITIONS,
    ROUND_TRANSITIONS,
    SCORE_TRANSITIONS,
    EntryStatus,
    ExtensionStatus,
    RectificationStatus,
    RoundStatus,
    ScoreStatus,
)
from portal.core.exceptions import ServiceError
from portal.core.workflow import Step, allows, move
from portal.programmes.choices import TRANSITIONS, Status
from portal.projects.models import FILING_TRANSITIONS, REPORT_TRANSITIONS, FilingStatus, ReportStatus
from schools.models import GUIDANCE_TRANSITIONS, GuidanceStatus

TABLE = {
    "go": Step(frozenset({"a", "b"}), "c", "只能从甲或乙出发。"),
    "stay": Step(frozenset({"a"})),
    "plain": (frozenset({"a"}), "b"),  # the older tables' pairs read the same
}


def test_an_action_leads_from_its_sources_to_its_target_or_leaves_the_status():
    assert (move(TABLE, "go", "a"), move(TABLE, "go", "b"), move(TABLE, "stay", "a")) == ("c", "c", "a")
    assert move(TABLE, "plain", "a") == "b"
    assert allows(TABLE, "go", "b") and not allows(TABLE, "stay", "b")


def test_a_refusal_says_the_actions_own_words_or_names_the_status():
    with pytest.raises(ServiceError) as refused:
        move(TABLE, "go", "c")
    assert refused.value.message == "只能从甲或乙出发。"
    with pytest.raises(ServiceError) as refused:
        move(TABLE, "plain", "b", "已提交")
    assert refused.value.message == "当前状态为“已提交”，不能进行此操作。"


@pytest.mark.parametrize(
    "table, statuses",
    [
        (TRANSITIONS, Status),
        (PLAN_TRANSITIONS, PlanStatus),
        (ADJUSTMENT_TRANSITIONS, AdjustmentStatus),
        (FILING_TRANSITIONS, FilingStatus),
        (REPORT_TRANSITIONS, ReportStatus),
        (ROUND_TRANSITIONS, RoundStatus),
        (ENTRY_TRANSITIONS, EntryStatus),
        (SCORE_TRANSITIONS, ScoreStatus),
        (RECTIFICATION_TRANSITIONS, RectificationStatus),
        (EXTENSION_TRANSITIONS, ExtensionStatus),
        (GUIDANCE_TRANSITIONS, GuidanceStatus),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_every_table_names_only_its_models_statuses(table, statuses):
    values = set(statuses.values)
    for action, rule in table.items():
        step = Step(*rule)
        assert step.sources and step.sources <= values, action
        assert step.target in values | {""}, action

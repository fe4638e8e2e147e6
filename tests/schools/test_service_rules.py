"""The pilot school's service rules that a one-line change would break unseen: only the levels above the
school (its own city, the province) form a guiding panel; the results page scores by the plan's own
cap rule (a bonus on top of a full item, or capped at the item's points)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from portal.orgs.choices import Role
from schools import devplans, guidance, services
from schools.selectors import results, scored_subject
from tests.factories import make_user
from tests.schools.test_devplan import fill, plan, school  # noqa: F401


@pytest.fixture
def submitted(plan, school):  # noqa: F811
    devplans.submit(actor=school, plan=fill(plan, school))
    plan.refresh_from_db()
    return plan


def test_a_city_forms_a_guiding_panel_for_its_own_schools_only(submitted, experts, tree):
    other_city = make_user(Role.CITY_REVIEWER, tree.city_c, username="liuzhou_city")
    with pytest.raises(PermissionError):
        guidance.assign(actor=other_city, plan=submitted, leader=experts.lu, members=[experts.huang])
    shanxi = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="shanxi_admin")
    with pytest.raises(PermissionError):
        guidance.assign(actor=shanxi, plan=submitted, leader=experts.lu, members=[experts.huang])
    assert not submitted.guidance.exists()
    own_city = make_user(Role.CITY_REVIEWER, tree.city_a, username="nanning_city")
    made = guidance.assign(actor=own_city, plan=submitted, leader=experts.lu, members=[experts.huang])
    assert made.created_by == own_city


@pytest.fixture
def scored(projects, tree):
    """语文科 at full marks on item 6 (20 points) with a 省级 award (+5)."""
    user = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_training")
    training = services.plan_of(projects.a1)
    group = services.save_group(actor=user, plan=training, data={"name": "语文科", "points": ["G8"],
                                                                 "responsible": "陈艳平"})
    services.record_scores(actor=user, plan=training, subject=group,
                           rows={6: {"self_score": "20", "score": "20", "awards": ["province"]}})
    return user, training, group


@pytest.mark.parametrize("rule, item_total", [("beyond", Decimal(25)), ("within", Decimal(20))])
def test_the_results_page_scores_by_the_plans_own_cap_rule(scored, rule, item_total):
    user, training, group = scored
    services.save_plan(actor=user, project=training.project, data={"goals": "提升", "tasks": "研修", "cap_rule": rule},
                       expected_version=training.lock_version)
    training.refresh_from_db()
    assert training.cap_rule == rule
    row = results(training)["group"][0]
    assert row.total == item_total
    assert next(line for line in row.lines if line.item.number == 6).result.total == item_total
    assert scored_subject(training, group).total == item_total

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
    group = services.save_group(
        actor=user, plan=training, data={"name": "语文科", "points": ["G8"], "responsible": "陈艳平"}
    )
    services.record_scores(
        actor=user, plan=training, subject=group, rows={6: {"self_score": "20", "score": "20", "awards": ["province"]}}
    )
    return user, training, group


@pytest.mark.parametrize("rule, item_total", [("beyond", Decimal(25)), ("within", Decimal(20))])
def test_the_results_page_scores_by_the_plans_own_cap_rule(scored, rule, item_total):
    user, training, group = scored
    services.save_plan(
        actor=user,
        project=training.project,
        data={"goals": "提升", "tasks": "研修", "cap_rule": rule},
        expected_version=training.lock_version,
    )
    training.refresh_from_db()
    assert training.cap_rule == rule
    row = results(training)["group"][0]
    assert row.total == item_total
    assert next(line for line in row.lines if line.item.number == 6).result.total == item_total
    assert scored_subject(training, group).total == item_total


def _full_marks(user, training, subject, sheet_key, **lower):
    """Every item of the subject's sheet scored at its full points, but the items in `lower`."""
    from schools.scoring import load

    rows = {item.number: {"score": str(lower.get(f"item{item.number}", item.max))} for item in load(sheet_key).items}
    services.record_scores(actor=user, plan=training, subject=subject, rows=rows)


def test_the_overview_compares_the_schools_in_scope_with_averages_rounded_half_up(projects, tree):
    """Two 科组 fully scored (98.2 and 98.3) average 98.25, shown as 98.3 (四舍五入); a third half scored is
    counted but not averaged; a school outside the city is not listed."""
    from schools.selectors import summaries

    user = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_summary")
    training = services.plan_of(projects.a1)
    groups = [
        services.save_group(actor=user, plan=training, data={"name": name, "points": ["G8"], "responsible": "x"})
        for name in ("语文科", "数学科", "英语科")
    ]
    _full_marks(user, training, groups[0], "group", item1="8.2")
    _full_marks(user, training, groups[1], "group", item1="8.3")
    services.record_scores(actor=user, plan=training, subject=groups[2], rows={1: {"score": "10"}})
    teacher = services.save_teacher(actor=user, plan=training, data={"name": "陈艳平", "group": str(groups[0].pk)})
    services.record_scores(actor=user, plan=training, subject=teacher, rows={1: {"score": "5"}})
    c1 = make_user(Role.SCHOOL_APPLICANT, tree.school_c1, username="c1_summary")  # another city's school,
    c1_training = services.plan_of(projects.c1)  # its one 科组 half scored
    c1_group = services.save_group(
        actor=c1, plan=c1_training, data={"name": "语文科", "points": ["G8"], "responsible": "x"}
    )
    services.record_scores(actor=c1, plan=c1_training, subject=c1_group, rows={1: {"score": "10"}})
    city = make_user(Role.CITY_REVIEWER, tree.city_a, username="nn_summary")
    rows = summaries(city)
    assert [row["school"] for row in rows] == [tree.school_a1]
    row = rows[0]
    assert (row["groups"], row["groups_done"], row["teachers"], row["teachers_done"]) == (3, 2, 1, 0)
    assert row["group_average"] == Decimal("98.3") and row["teacher_average"] is None
    assert row["best_group"].subject == groups[1]
    other_city = make_user(Role.CITY_REVIEWER, tree.city_c, username="lz_summary")
    liuzhou = summaries(other_city)
    assert [r["school"] for r in liuzhou] == [tree.school_c1]
    assert liuzhou[0]["best_group"] is None and liuzhou[0]["group_average"] is None  # none fully scored yet


def test_a_teachers_sheet_is_scored_as_a_teachers_and_only_with_their_own_rows(projects, tree):
    from schools.selectors import scored_subject

    user = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_teacher")
    training = services.plan_of(projects.a1)
    group = services.save_group(
        actor=user, plan=training, data={"name": "语文科", "points": ["G8"], "responsible": "x"}
    )
    first = services.save_teacher(actor=user, plan=training, data={"name": "甲", "group": str(group.pk)})
    second = services.save_teacher(actor=user, plan=training, data={"name": "乙", "group": str(group.pk)})
    services.record_scores(actor=user, plan=training, subject=first, rows={1: {"score": "5"}})
    services.record_scores(actor=user, plan=training, subject=second, rows={1: {"score": "3"}})
    services.record_scores(actor=user, plan=training, subject=group, rows={1: {"score": "9"}})
    assert scored_subject(training, first).total == Decimal(5)
    assert scored_subject(training, second).total == Decimal(3)
    assert scored_subject(training, group).total == Decimal(9)
    assert scored_subject(training, first).subject == first

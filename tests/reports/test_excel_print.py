"""Excel as a person prints it: A4, the orientation its width needs, one page wide, margins, title and
head rows on every page; categories named; only the call's own levels; points as plain numbers."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal.core.exceptions import ServiceError
from portal.experts.demo import NATIONAL, _criteria
from portal.experts.services.pool import save_rubric
from portal.orgs.choices import Role
from portal.reports import services
from tests.factories import make_user
from tests.fixtures.review import recommended_by_city


def _book(actor, kind, pk, capture):
    with capture(execute=True):
        job, _ = services.request_report(actor=actor, kind=kind, pk=pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    return load_workbook(BytesIO((services.storage_dir() / job.stored_name).read_bytes()))


def _assert_prints_as_a4(ws, repeat: str, orientation: str):
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.page_setup.orientation == orientation
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom) == (
        0.4,
        0.4,
        0.6,
        0.6,
    )
    assert ws.print_title_rows == repeat


def _scored_panel(tree, admin, experts, panel, at_expert_stage, points="20"):
    from portal.experts.models import Assignment
    from portal.experts.services.assignment import assign
    from portal.experts.services.sheets import save_sheet

    (a1,) = at_expert_stage(tree.school_a1)
    for e in (experts.huang, experts.qin):
        assign(actor=admin, panel=panel, application=a1, expert=e)
        save_sheet(
            actor=e.user,
            assignment=Assignment.objects.get(expert=e),
            points=dict.fromkeys("1234", points),
            comments={},
            comment="好",
            submit=True,
        )
    return a1


def test_city_tables_print_on_a4_with_their_heads_repeated(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    lst, _ = recommended_by_city(calls, reviewers, submitted, (tree.school_a1,))
    _assert_prints_as_a4(
        _book(reviewers.city, "city_summary", lst.pk, django_capture_on_commit_callbacks)["推荐汇总表"],
        "$1:$1",
        "portrait",
    )
    _assert_prints_as_a4(
        _book(reviewers.city, "city_contacts", lst.pk, django_capture_on_commit_callbacks)["联系人信息表"],
        "$1:$2",
        "portrait",
    )


def test_the_province_summary_prints_landscape_and_has_only_the_calls_levels(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a1), calls.guangxi)
    ws = _book(reviewers.province, "province_summary", calls.guangxi.pk, django_capture_on_commit_callbacks)["申报汇总"]
    _assert_prints_as_a4(ws, "$1:$2", "landscape")
    heads = [c.value for c in ws[2]]
    assert [h for h in heads if h.endswith("结论")] == [
        "县级教育行政部门结论",
        "市级教育行政部门结论",
        "专家评审结论",
        "省级教育行政部门结论",
    ]
    assert "教育部结论" not in heads
    submitted(make_user(Role.BUREAU_APPLICANT, tree.county_a), calls.national, multiple=True)
    national = _book(reviewers.ministry, "province_summary", calls.national.pk, django_capture_on_commit_callbacks)[
        "申报汇总"
    ]
    assert [h.value for h in national[2] if h.value.endswith("结论")] == [
        "市级教育行政部门结论",
        "省级教育行政部门结论",
        "教育部结论",
    ]


def test_the_score_sheet_prints_points_as_numbers_and_names_categories(
    calls, tree, admin, experts, panel, at_expert_stage, django_capture_on_commit_callbacks
):
    # A criterion worth 20 points: Decimal("20.00").normalize() prints as "2E+1".
    save_rubric(
        actor=admin, call=calls.guangxi, applicant_kind="school", name="实验校评分表", criteria=_criteria(NATIONAL)
    )
    _scored_panel(tree, admin, experts, panel, at_expert_stage, points="10")
    book = _book(admin, "expert_scores", panel.pk, django_capture_on_commit_callbacks)
    detail, ranking = book["评分明细"], book["排名"]
    _assert_prints_as_a4(detail, "$1:$2", "landscape")
    _assert_prints_as_a4(ranking, "$1:$2", "landscape")
    heads = [c.value for c in detail[2]]
    assert heads[3:7] == [
        "1. 教育教学改革基础（25分）",
        "2. 明确的工作机制（25分）",
        "3. 政府高度重视教育信息化工作（30分）",
        "4. 重视防控学生近视（20分）",
    ]
    assert not any("E+" in str(h) for h in heads)
    category = calls.guangxi.categories.get(number=1)
    assert ranking.cell(3, 4).value == f"1. {category.name}"


def test_the_score_page_names_the_cap_as_a_plain_number(calls, tree, admin, experts, panel, at_expert_stage):
    from portal.experts.models import Assignment
    from portal.experts.services.assignment import assign
    from portal.experts.services.sheets import save_sheet

    save_rubric(
        actor=admin, call=calls.guangxi, applicant_kind="school", name="实验校评分表", criteria=_criteria(NATIONAL)
    )
    (a1,) = at_expert_stage(tree.school_a1)
    assign(actor=admin, panel=panel, application=a1, expert=experts.huang)
    with pytest.raises(ServiceError) as refusal:
        save_sheet(
            actor=experts.huang.user,
            assignment=Assignment.objects.get(expert=experts.huang),
            points={"1": "1", "2": "1", "3": "1", "4": "20.5"},
            comments={},
            comment="",
            submit=True,
        )
    assert refusal.value.errors["points_4"] == ["“重视防控学生近视”的得分须在 0 到 20 之间。"]


def test_plain_number():
    from portal.formspec.values import plain_number

    assert [plain_number(Decimal(v)) for v in ("20.00", "2.50", "0", "100", "12.25")] == [
        "20",
        "2.5",
        "0",
        "100",
        "12.25",
    ]

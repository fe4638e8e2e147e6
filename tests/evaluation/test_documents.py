"""The self-evaluation report and the result sheet as stamped PDFs, the round's results
and the acceptance list as Excel, the showcase catalogue — each rendered again after every change to
what it shows (a new opinion, decision or selection), never the earlier file."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO

from openpyxl import load_workbook

from evaluation import outcomes, selfeval, showcase
from evaluation.models import Outcome, RoundEntry, RoundKind
from tests.evaluation.test_cycle import evaluated, file_self_evaluation, open_round
from tests.projects.test_documents import _bytes, _run
from tests.reports.test_pdf import _red_pixels


def _text(job) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=_bytes(job), capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def _pages(job) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=_bytes(job), capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_the_self_evaluation_pdf_is_stamped_and_follows_each_opinion(
    people, calls, experts, projects, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    file_self_evaluation(entry, people.school)
    first, _ = _run(people.school, "selfeval_pdf", entry.pk, capture)
    text = _text(first)
    for expected in (
        "2026年中期评估",
        "兴宁区实验小学智慧课堂实验自评报告",
        "绩效指标完成情况",
        "二、实施进展（对照进度安排）",
        "按计划完成第一阶段。",
        "自评得分",
        "加权合计80.00",
        "南宁市兴宁区教育局意见",
        "南宁市教育局意见",
        "（公章）",
    ):
        assert expected in text, expected
    assert _red_pixels(_bytes(first), _pages(first)) > 20  # the school's seal
    selfeval.give_opinion(
        actor=people.county, entry=RoundEntry.objects.get(pk=entry.pk), agree=True, text="同意报送，进展属实。"
    )
    second, created = _run(people.school, "selfeval_pdf", entry.pk, capture)
    assert created and second.pk != first.pk and "同意报送，进展属实。" in _text(second)
    again, created = _run(people.school, "selfeval_pdf", entry.pk, capture)
    assert not created and again.pk == second.pk  # unchanged: the same file


def test_the_result_sheet_and_the_excel_follow_the_decision(
    people, calls, experts, projects, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    entry = evaluated(people, calls, experts, projects.a1, people.school, [people.county, people.city])
    round_ = entry.round
    outcomes.decide(actor=people.admin, entry=entry, outcome=Outcome.PASS, grade="良好")
    sheet, _ = _run(people.admin, "evaluation_result_pdf", entry.pk, capture)
    text = _text(sheet)
    for expected in (
        "评估结果表",
        "专家评分90.00",
        "结论：通过（良好）",
        "专家组意见",
        "专家组同意。",
        "专家组组长（签字）：",
        "广西壮族自治区教育厅意见",
    ):
        assert expected in text, expected
    assert experts.huang.user.real_name not in text  # the leader is not named
    results, _ = _run(people.admin, "round_results_xlsx", round_.pk, capture)
    rows = [[c.value for c in r] for r in load_workbook(BytesIO(_bytes(results))).active.iter_rows(min_row=3)]
    assert rows[0][:10] == [
        1,
        "南宁市教育局",
        "南宁市兴宁区实验小学",
        "兴宁区实验小学智慧课堂实验",
        "已作出结论",
        80,
        90,
        1,
        "通过",
        "良好",
    ]
    outcomes.decide(
        actor=people.admin,
        entry=entry,
        outcome=Outcome.RECTIFY,
        reasons='=HYPERLINK("x")',
        rectify_by=__import__("datetime").date(2099, 1, 1),
        rectify_items="补齐培训",
        change_reason="复核发现培训不足。",
    )
    changed, created = _run(people.admin, "evaluation_result_pdf", entry.pk, capture)
    assert created and "限期整改" in _text(changed) and "复核发现培训不足。" in _text(changed)
    results2, created = _run(people.admin, "round_results_xlsx", round_.pk, capture)
    cell = load_workbook(BytesIO(_bytes(results2))).active.cell(row=3, column=12)
    assert created and cell.data_type == "s" and cell.value == '=HYPERLINK("x")'  # text, never a formula


def test_the_acceptance_list_holds_only_the_accepted(
    people, calls, experts, projects, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    acceptance = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    for project, user in ((projects.a1, people.school), (projects.b1, people.school_b)):
        entry = outcomes.apply_for_acceptance(actor=user, round_=acceptance, project=project)
        file_self_evaluation(entry, user)
    from evaluation import panel
    from tests.evaluation.test_cycle import score_all, through_chain

    through_chain(acceptance.entries.get(project=projects.a1), people.county, people.city)
    through_chain(acceptance.entries.get(project=projects.b1), people.county_b, people.city)
    panel.assign(actor=people.admin, round_=acceptance)
    score_all(acceptance)
    for e in acceptance.entries.all():
        e = panel.sign_opinion(actor=experts.huang.user, entry=e, text="意见。")
        passed = e.project_id == projects.a1.pk
        outcomes.decide(
            actor=people.admin,
            entry=e,
            outcome=Outcome.PASS if passed else Outcome.FAIL,
            grade="优秀" if passed else "",
            reasons="" if passed else "资金执行率不足。",
        )
    job, _ = _run(people.admin, "acceptance_list_xlsx", acceptance.pk, capture)
    rows = [[c.value for c in r] for r in load_workbook(BytesIO(_bytes(job))).active.iter_rows(min_row=3)]
    assert [r[3] for r in rows] == ["兴宁区实验小学智慧课堂实验"]


def test_the_showcase_catalogue_follows_the_selection(people, calls, projects, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    item = showcase.submit(
        actor=people.school,
        project=projects.a1,
        data={
            "title": "双师课堂教学模式",
            "category": "model",
            "stage": "小学",
            "subject": "数学",
            "summary": "同步授课。",
        },
    )
    empty, _ = _run(people.admin, "showcase_xlsx", calls.guangxi.pk, capture)
    assert [[c.value for c in r] for r in load_workbook(BytesIO(_bytes(empty))).active.iter_rows(min_row=3)] == []
    showcase.select(actor=people.admin, item=item, selected=True)
    job, created = _run(people.admin, "showcase_xlsx", calls.guangxi.pk, capture)
    rows = [[c.value for c in r] for r in load_workbook(BytesIO(_bytes(job))).active.iter_rows(min_row=3)]
    assert created and rows[0][:6] == [1, "双师课堂教学模式", "教学模式", "小学", "数学", "南宁市教育局"]

"""The sheets as documents through the report jobs — the seed's columns and items, the
rankings and the school's seal in the PDF, exact figures in the Excel, and a new file after every
change to what they show (never the earlier file)."""

import re
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal.orgs.choices import Role
from portal.reports import services as reports
from schools import services
from tests.factories import make_user
from tests.projects.test_documents import _bytes, _run
from tests.reports.test_pdf import _red_pixels


@pytest.fixture
def plan(projects, tree):
    school = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_school")
    plan = services.plan_of(projects.a1)
    chinese = services.save_group(
        actor=school, plan=plan, data={"name": "语文科", "points": ["G8"], "responsible": "陈"}
    )
    maths = services.save_group(actor=school, plan=plan, data={"name": "数学科", "points": ["B3"], "responsible": "王"})
    teacher = services.save_teacher(actor=school, plan=plan, data={"name": "陈艳平", "group": str(chinese.pk)})
    services.record_scores(
        actor=school,
        plan=plan,
        subject=chinese,
        rows={n: {"self_score": "10", "score": "10"} for n in (1, 2, 3, 4, 5, 7, 8, 9)}
        | {6: {"self_score": "20", "score": "18"}},
    )
    services.record_scores(actor=school, plan=plan, subject=maths, rows={1: {"score": "9"}})
    services.record_scores(actor=school, plan=plan, subject=teacher, rows={8: {"self_score": "10", "score": "7"}})
    return type("P", (), {"plan": plan, "school": school, "maths": maths, "project": projects.a1})


def _text(job) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=_bytes(job), capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def test_the_pdf_has_the_seeds_columns_items_rankings_and_seal(plan, django_capture_on_commit_callbacks):
    job, _ = _run(plan.school, "training_sheets_pdf", plan.project.pk, django_capture_on_commit_callbacks)
    text = _text(job)
    for expected in (
        "兴宁区实验小学学校校本研修与考核方案",
        "考核方案",
        "（一）科组考核：评选信息技术应用能力提升优秀教研小组",
        "序号内容评分要点分值自评得分",
        "科组内是否每个组员完成个人工作计划的制定",
        "（二）个人考核",
        "科组考核排名",
        "个人考核排名（全校）",
        "信息化教学能力提升明显",
        "考核小组组长（签字）：",
        "（公章）",
    ):
        assert expected in text, expected
    assert "98" in text and "数学科（未评完）" in text
    info = subprocess.run(["pdfinfo", "-"], input=_bytes(job), capture_output=True, check=True).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert _red_pixels(_bytes(job), pages) > 20  # the school's seal on the last page


def test_the_excel_holds_the_exact_figures(plan, django_capture_on_commit_callbacks):
    job, _ = _run(plan.school, "training_results_xlsx", plan.project.pk, django_capture_on_commit_callbacks)
    sheet = load_workbook(BytesIO(_bytes(job))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:7] == ["科组考核", 1, "语文科", None, 100, 98, "是"]
    assert rows[0][7:16] == [10, 10, 10, 10, 10, 18, 10, 10, 10]
    assert rows[1][:7] == ["科组考核", 2, "数学科", None, 0, 9, "否"]
    assert rows[2][:7] == ["个人考核", 1, "陈艳平", "语文科", 10, 7, "否"]


def test_a_change_to_what_they_show_gives_a_new_file(plan, django_capture_on_commit_callbacks):
    first, _ = _run(plan.school, "training_sheets_pdf", plan.project.pk, django_capture_on_commit_callbacks)
    again, created = _run(plan.school, "training_sheets_pdf", plan.project.pk, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and not created  # unchanged: the same file
    services.record_scores(actor=plan.school, plan=plan.plan, subject=plan.maths, rows={1: {"score": "10"}})
    changed, created = _run(plan.school, "training_sheets_pdf", plan.project.pk, django_capture_on_commit_callbacks)
    assert created and changed.pk != first.pk
    xlsx, _ = _run(plan.school, "training_results_xlsx", plan.project.pk, django_capture_on_commit_callbacks)
    services.save_plan(
        actor=plan.school,
        project=plan.project,
        expected_version=plan.plan.lock_version,
        data={"goals": "目标", "tasks": "任务", "cap_rule": "beyond"},
    )
    after, created = _run(plan.school, "training_results_xlsx", plan.project.pk, django_capture_on_commit_callbacks)
    assert created and after.pk != xlsx.pk


def test_outside_the_scope_or_for_a_zone_there_is_no_document(projects, plan, tree, role_users):
    from django.http import Http404

    with pytest.raises(Http404):
        reports.request_report(
            actor=make_user(Role.SCHOOL_APPLICANT, tree.school_b1), kind="training_sheets_pdf", pk=plan.project.pk
        )
    with pytest.raises(Http404):
        reports.request_report(actor=role_users[Role.CITY_REVIEWER], kind="training_sheets_pdf", pk=projects.zone.pk)


def test_a_formula_typed_as_a_name_stays_text_in_the_excel(plan, django_capture_on_commit_callbacks):
    group = plan.plan.groups.get(name="数学科")
    services.save_teacher(actor=plan.school, plan=plan.plan, data={"name": '=HYPERLINK("x")', "group": str(group.pk)})
    job, _ = _run(plan.school, "training_results_xlsx", plan.project.pk, django_capture_on_commit_callbacks)
    cells = [
        c
        for row in load_workbook(BytesIO(_bytes(job))).active.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)  # text, not a formula


# ---- 发展规划 with the 专家指导意见建议表 (items 1, 2 and 5) ----


@pytest.fixture
def devplan(projects, tree, experts, admin):
    from schools import devplans
    from tests.schools.test_devplan import fill

    school = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_plan")
    experts.lu.user.phone = "13900001111"
    experts.lu.user.save(update_fields=["phone"])
    plan = devplans.plan_of(projects.a1)
    devplans.submit(actor=school, plan=fill(plan, school))
    return type("D", (), {"plan": plan, "school": school, "project": projects.a1})


def test_the_plan_pdf_follows_the_seed_and_a_signed_guidance_makes_a_new_file(
    devplan, experts, admin, django_capture_on_commit_callbacks
):
    from schools import guidance

    first, _ = _run(devplan.school, "devplan_pdf", devplan.project.pk, django_capture_on_commit_callbacks)
    text = _text(first)
    for expected in (
        "附件1",
        "学校信息化教育教学发展规划",
        "学校信息化应用模式",
        "智慧教育",
        "学校信息化负责人",
        "职称",
        "电子邮箱",
        "信息化管理团队",
        "学校信息化教育教学概况",
        "三年发展愿景",
        "一年绩效目标",
        "主要任务",
        "保障措施",
        "教师信息技术应用能力建设情况",
        "学校信息化教育教学三年实施安排",
        "2026.3",
        "（公章）",
    ):
        assert expected in text, expected
    assert "专家指导意见建议表" not in text
    given = guidance.assign(actor=admin, plan=devplan.plan, leader=experts.lu, members=[experts.huang])
    given = guidance.save_summary(
        actor=experts.lu.user, guidance=given, summary="建议发挥教科研组和各科组的重要作用。", expected_version=1
    )
    unsigned, created = _run(devplan.school, "devplan_pdf", devplan.project.pk, django_capture_on_commit_callbacks)
    assert not created and unsigned.pk == first.pk  # nothing the school may see changed: the same file
    guidance.sign(actor=experts.lu.user, guidance=given)
    signed, created = _run(devplan.school, "devplan_pdf", devplan.project.pk, django_capture_on_commit_callbacks)
    assert created and signed.pk != first.pk
    text = _text(signed)
    for expected in (
        "附件2",
        "专家指导意见建议表",
        "指导单位名称",
        "指导专家组长",
        "陆教授",
        "13900001111",
        "指导专家团队",
        "黄教授",
        "指导意见建议汇总",
        "建议发挥教科研组和各科组的重要作用。",
        "组长签字：陆教授",
    ):
        assert expected in text, expected
    # The county masks the experts' phones and the school's contacts in its copy.
    from portal.orgs.models import User

    county = User.objects.filter(
        role_grants__role=Role.COUNTY_REVIEWER, organisation=devplan.project.organisation.parent
    ).first() or make_user(Role.COUNTY_REVIEWER, devplan.project.organisation.parent)
    theirs, _ = _run(county, "devplan_pdf", devplan.project.pk, django_capture_on_commit_callbacks)
    text = _text(theirs)
    assert "139****1111" in text and "13900001111" not in text and "0769-83011234" not in text

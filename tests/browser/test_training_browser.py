"""A pilot school keeps its 校本研修与考核方案 on the pages — a 科组 with its ability points, a
teacher, a 科组 sheet scored with an over-the-分值 entry refused at the field and nothing typed lost,
the ranking with the new 科组 in it; the city reads the summary and the plan (with the teachers'
phones, read-only)."""

import os

from playwright.sync_api import expect

from portal.programmes.models import Project


def test_a_school_scores_a_subject_group_and_sees_the_ranking(
    session, browser, live_server, demo_accounts, sign_in, artifacts_dir
):
    project = Project.objects.get(organisation__code="2441900004")
    shot = lambda page, name: page.screenshot(path=os.path.join(artifacts_dir, f"training_{name}.png"), full_page=True)
    school = session("xt_school")
    school.goto(f"{live_server.url}/projects/{project.pk}/")
    school.get_by_role("link", name="校本研修与考核").click()
    expect(school.get_by_test_id("group-row")).to_have_count(4)
    expect(school.get_by_test_id("group-table")).to_contain_text("G8 智慧教育环境下教学模式创新")

    school.fill("#g-name", "体育科")
    school.fill("#g-responsible", "李志强")
    school.get_by_test_id("save-group").click()  # no ability point chosen
    expect(school.get_by_test_id("points-error")).to_have_text("请至少选择一个能力点。")
    expect(school.locator("#g-name")).to_have_value("体育科")  # what was typed is still there
    school.check("#gp-B1")
    school.check("#gp-G6")
    school.get_by_test_id("save-group").click()
    expect(school.locator(".alert-success")).to_contain_text("科组已保存")
    expect(school.get_by_test_id("group-row")).to_have_count(5)

    school.fill("#t-name", "李志强")
    school.select_option("#t-group", label="体育科")
    school.fill("#t-phone", "13926900199")
    school.get_by_test_id("save-teacher").click()
    expect(school.get_by_test_id("teacher-table")).to_contain_text("13926900199")

    school.get_by_test_id("group-row").filter(has_text="体育科").get_by_role("link", name="科组考核").click()
    rows = school.get_by_test_id("sheet-row")
    expect(rows).to_have_count(9)
    for number in range(1, 10):
        full = "20" if number == 6 else "10"
        school.fill(f"[name=item-{number}-self_score]", full)
        school.fill(f"[name=item-{number}-score]", full)
    school.fill("[name=item-2-score]", "12")  # over the item's 10 分
    school.fill("[name=item-3-missing]", "1")  # 缺1人扣2分
    school.check("[name=item-6-awards][value=city]")  # 市级 +3, capped at 20
    school.fill("[name=item-9-extras]", "1")  # +5, capped at 10
    school.get_by_test_id("save-scores").click()
    expect(school.get_by_test_id("form-errors")).to_contain_text("第2项得分不能超过该项分值 10 分")
    expect(school.locator("[name=item-2-score]")).to_have_value("12")
    expect(school.locator("[name=item-2-score]")).to_have_class("form-control form-control-sm score-input is-invalid")
    shot(school, "sheet_refused")
    school.fill("[name=item-2-score]", "9.5")
    school.get_by_test_id("save-scores").click()
    expect(school.locator(".alert-success")).to_contain_text("已保存")
    expect(school.get_by_test_id("sheet-total")).to_have_text("98.0 / 97.5")  # 100 − 2 (self); − 2 − 0.5
    shot(school, "sheet_saved")

    school.goto(f"{live_server.url}/projects/{project.pk}/training/")
    ranking = school.get_by_test_id("group-ranking")
    expect(ranking.locator("tbody tr").first).to_contain_text("体育科")
    expect(ranking).to_contain_text("97.5")
    shot(school, "plan")

    city = session("dg_city")
    city.goto(f"{live_server.url}/schools/training/")
    expect(city.get_by_test_id("summary-row")).to_contain_text("东莞市大朗镇巷头小学")
    shot(city, "summary")
    city.goto(f"{live_server.url}/projects/{project.pk}/training/")
    expect(city.get_by_test_id("teacher-table")).to_contain_text("13926900199")
    expect(city.get_by_test_id("save-group")).to_have_count(0)

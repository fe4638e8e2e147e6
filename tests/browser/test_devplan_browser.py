"""In the browser: a pilot school fills its 学校信息化教育教学发展规划 (autosave
survives a reload; a bad phone and a stage outside the project's cycle are refused at the field with
nothing lost), submits it; the city forms a guiding panel (the 回避 expert cannot be chosen); a member
notes, the leader sums up and signs the 专家指导意见建议表; the school sees it, revises and submits,
and the differences are shown beside the table."""

import os

from playwright.sync_api import expect

from portal.programmes.models import Project
from schools.models import DevelopmentPlan, DevelopmentPlanVersion, Guidance


def _fresh_plan(project):
    """The demo's plan goes, so the school starts from a blank form."""
    Guidance.objects.filter(plan__project=project).delete()
    DevelopmentPlanVersion.objects.filter(plan__project=project).delete()
    DevelopmentPlan.objects.filter(project=project).delete()


def test_a_school_plans_experts_guide_and_the_school_revises(session, live_server, demo_accounts, artifacts_dir):
    project = Project.objects.get(organisation__code="2441900004")
    _fresh_plan(project)
    year = project.starts_on.year
    shot = lambda page, name: page.screenshot(path=os.path.join(artifacts_dir, f"devplan_{name}.png"), full_page=True)
    school = session("xt_school")
    school.goto(f"{live_server.url}/projects/{project.pk}/")
    school.get_by_role("link", name="发展规划").click()
    expect(school.get_by_test_id("devplan-versions")).to_contain_text("尚未提交")
    school.select_option("#id_mode", label="智慧教育")
    school.fill("#id_principal", "叶艳兰")
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    school.reload()  # autosaved: survives a closed page
    expect(school.locator("#id_principal")).to_have_value("叶艳兰")

    school.fill("#id_address", "广东省东莞市大朗镇巷头社区")
    school.fill("#id_postcode", "523770")
    school.fill("#id_lead_name", "程马峰")
    school.select_option("#id_lead_gender", label="男")
    school.fill("#id_lead_phone", "13600000021")
    school.fill("#id_lead_post", "副主任")
    school.fill("#id_lead_rank", "一级教师")
    school.fill("#id_lead_email", "chengmf@example.cn")
    for column, value in (
        ("name", "叶艳兰"),
        ("gender", "女"),
        ("phone", "8301"),
        ("post", "校长"),
        ("rank", "高级教师"),
        ("email", "yeyl@example.cn"),
    ):
        school.fill(f"#id_team__0__{column}", value)
    for name in ("overview", "vision", "year_goals", "tasks", "safeguards", "capability"):
        school.fill(f"#id_{name}", f"{name}：按学校实际填写。")
    for row, (start, end) in enumerate(
        ((f"{year}.9", f"{year + 1}.8"), (f"{year + 1}.9", f"{year + 2}.8"), (f"{year + 2}.9", f"{year + 5}.8"))
    ):
        school.fill(f"#id_schedule__{row}__start", start)
        school.fill(f"#id_schedule__{row}__end", end)
        school.fill(f"#id_schedule__{row}__theme", ["培训先行", "实验探索", "示范引领"][row])
        school.fill(f"#id_schedule__{row}__tasks", "组织校本研修")
    # As a person would: the typing has been autosaved (the toolbar settles) before 提交 is pressed.
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    school.get_by_test_id("submit").click()
    summary = school.get_by_test_id("error-summary")
    expect(summary).to_contain_text("请填写手机号码或固定电话")
    expect(summary).to_contain_text(f"{year + 5}.8 不在项目实施周期")
    expect(school.locator("#id_team__0__phone")).to_have_value("8301")  # nothing typed is lost
    shot(school, "refused")
    school.fill("#id_team__0__phone", "0769-83011234")
    school.fill("#id_schedule__2__end", f"{year + 3}.8")
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    school.get_by_test_id("submit").click()
    expect(school.locator(".alert-success")).to_contain_text("发展规划已提交（第 1 版")

    city = session("dg_city")
    city.goto(f"{live_server.url}/projects/{project.pk}/development-plan/")
    expect(city.get_by_test_id("devplan-read")).to_contain_text("0769-83011234")  # the city calls people
    assign = city.get_by_test_id("guidance-assign")
    city.select_option("#g-leader", label="李慧敏 · 教育信息化")
    assign.get_by_label("周建平").check()
    city.get_by_test_id("assign-guidance").click()
    expect(city.locator(".alert-success")).to_contain_text("已安排专家指导")

    member = session("gd_expert2")
    member.goto(f"{live_server.url}/schools/guidance/")
    member.get_by_test_id("guidance-row").first.get_by_role("link").click()
    expect(member.locator("article")).to_contain_text("（评审时不显示）")  # contacts masked for experts
    member.fill("#g-note", "建议发挥教科研组和各科组的作用。")
    member.get_by_test_id("save-note").click()
    expect(member.locator(".alert-success")).to_contain_text("您的意见已保存")
    expect(member.get_by_test_id("summary-form")).to_have_count(0)  # only the leader sums up

    leader = session("gd_expert")
    leader.goto(f"{live_server.url}/schools/guidance/")
    leader.get_by_test_id("guidance-row").first.get_by_role("link").click()
    expect(leader.get_by_test_id("notes")).to_contain_text("建议发挥教科研组和各科组的作用。")
    leader.fill("#g-summary", "规划条理清晰。建议工作任务推进方面，发挥教科研组和各科组的重要作用。")
    leader.get_by_test_id("sign-guidance").click()
    expect(leader.locator(".alert-success")).to_contain_text("已签署")
    expect(leader.get_by_test_id("guidance-status")).to_have_text("组长已签署")
    shot(leader, "guidance")

    school.goto(f"{live_server.url}/projects/{project.pk}/development-plan/")
    table = school.locator("[data-testid=guidance-table]")
    expect(table).to_contain_text("规划条理清晰")
    expect(table).to_contain_text("李慧敏")
    school.fill("#id_tasks", "tasks：按学校实际填写。发挥教科研组和各科组的作用。")
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    school.get_by_test_id("submit").click()
    expect(school.locator(".alert-success")).to_contain_text("第 2 版")
    diff = school.get_by_test_id("guidance-diff")
    expect(diff).to_contain_text("主要任务")
    expect(diff).to_contain_text("发挥教科研组和各科组的作用")
    expect(school.get_by_test_id("guidance-status")).to_have_text("学校已修改")
    shot(school, "revised")

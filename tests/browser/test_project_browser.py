"""The Dongguan spending plan entered through the pages: a split that breaks the call's 30/10/60 is
refused with the reason, the seed's three lines make 100 万元, the province approves with its seal,
the task list gets the seed's row, spending beyond a line is refused, and the timeline is drawn."""

import os

from playwright.sync_api import expect

from budgets.demo import LINES, TASK
from budgets.models import BudgetShare
from portal.orgs.models import Organisation
from portal.programmes.models import Call
from tests.fixtures.projects import make_project


def _fill_line(page, index, line):
    for field in ("category", "purpose", "explanation", "unit_cost", "quantity", "unit"):
        page.locator(f"[name=lines-{index}-{field}]").fill(line[field])


def test_dongguan_plan_through_the_pages(session, browser, live_server, demo_accounts, sign_in, artifacts_dir):
    call = Call.objects.get(document_number="教基厅函〔2019〕46号")
    for n, (category, percent) in enumerate([("成果编撰出版", 30), ("研训交流展示活动", 10), ("孵化教学模式", 60)], 1):
        BudgetShare.objects.create(call=call, number=n, category=category, percent=percent)
    project = make_project(
        call, Organisation.objects.get(code="441900"), title="东莞市实验区项目（页面录入）", kind="zone_city"
    )
    shot = lambda page, name: page.screenshot(path=os.path.join(artifacts_dir, f"project_{name}.png"), full_page=True)

    city = session("dg_city")
    city.goto(f"{live_server.url}/projects/{project.pk}/budget/")
    expect(city.get_by_test_id("shares")).to_contain_text("成果编撰出版 30%")
    city.fill("#id_grant", "100")
    city.fill("#id_source", "粤财科教〔2021〕68号")
    city.get_by_test_id("add-line").click()  # two blank rows, and a third
    broken = [dict(LINES[0], quantity="2.5"), LINES[1], dict(LINES[2], quantity="8.75")]
    for i, line in enumerate(broken):
        _fill_line(city, i, line)
    city.get_by_test_id("save-plan").click()
    refusals = city.get_by_test_id("plan-refusals")
    expect(refusals).to_contain_text("“成果编撰出版”规定占 30%（30 万元），现为 37.5 万元，超出 7.5 万元。")
    expect(refusals).to_contain_text("“孵化教学模式”规定占 60%（60 万元），现为 52.5 万元，不足 7.5 万元。")
    expect(city.get_by_test_id("submit-plan")).to_have_count(0)
    city.locator("[name=lines-0-quantity]").fill("2")
    city.locator("[name=lines-2-quantity]").fill("10")
    city.get_by_test_id("save-plan").click()
    expect(city.locator(".alert-success")).to_contain_text("用款方案已保存")
    city.get_by_test_id("submit-plan").click()
    expect(city.get_by_test_id("plan-status")).to_have_text("待审批")

    province = session("gd_province")
    province.goto(f"{live_server.url}/projects/{project.pk}/budget/")
    province.get_by_label("同意").check()
    province.get_by_label("审批意见").fill("同意该用款方案，请严格按方案执行。")
    province.get_by_test_id("decide").click()
    expect(province.get_by_test_id("plan-status")).to_have_text("已批复")
    table = province.get_by_test_id("budget-table")
    for number, purpose, amount in [
        (1, "优秀成果编撰劳务费、出版印刷费", "30"),
        (2, "研训、交流展示活动专家劳务费、专用材料费等", "10"),
        (3, "孵化项目，提炼成果，打造教学模式专家劳务费、专用材料费等", "60"),
    ]:
        expect(table.get_by_test_id(f"line-{number}")).to_contain_text(purpose)
        expect(table.get_by_test_id(f"line-{number}").locator("td").nth(5)).to_have_text(amount)
    expect(province.get_by_test_id("total")).to_have_text("100")
    expect(province.get_by_test_id("plan-seal")).to_be_visible()
    shot(province, "1_plan_approved")

    city.goto(f"{live_server.url}/projects/{project.pk}/tasks/")
    for field, value in TASK.items():
        city.locator(f"#t-{field}").fill(value)
    city.get_by_test_id("add-task").click()
    row = city.get_by_test_id("task-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("约束性任务")
    expect(row).to_contain_text("政策实施范围")
    expect(row).to_contain_text("东莞市教育局")
    headers = city.get_by_test_id("task-table").locator("thead th")
    expect(headers).to_have_text(
        [
            "序号",
            "资金投入方向",
            "工作任务名称",
            "任务要求/目标",
            "任务性质",
            "实施方式",
            "实施标准",
            "工作量",
            "完成时限",
            "备注",
            "案例类型",
            "实施单位",
            "完成情况",
        ]
    )
    shot(city, "2_task_list")

    city.goto(f"{live_server.url}/projects/{project.pk}/spending/")
    city.locator("#e-line").select_option(label="2. 研训、交流展示活动专家劳务费、专用材料费等（结余 10 万元）")
    city.fill("#e-date", project.starts_on.isoformat())
    city.fill("#e-amount", "10.5")
    city.fill("#e-payee", "研训活动专家劳务费")
    city.get_by_test_id("record").click()
    expect(city.get_by_test_id("expenditure-errors")).to_contain_text("本笔将超出 0.5 万元")
    expect(city.locator("#e-amount")).to_have_value("10.5")
    city.fill("#e-amount", "8")
    city.get_by_test_id("record").click()
    expect(city.get_by_test_id("line-rate-2")).to_have_text("80.00%")
    expect(city.get_by_test_id("rate-overall")).to_have_text("8.00%")
    shot(city, "3_spending")

    city.goto(f"{live_server.url}/projects/{project.pk}/schedule/")
    city.fill("#s-name", "筹备")
    city.fill("#s-start", project.starts_on.isoformat())
    city.fill("#s-end", project.starts_on.replace(month=project.starts_on.month + 1).isoformat())
    city.get_by_test_id("stage-form").get_by_role("button").click()
    expect(city.get_by_test_id("stages")).to_contain_text("筹备")
    expect(city.get_by_test_id("timeline-svg")).to_be_visible()
    shot(city, "4_schedule")

"""In the browser: the province opens a mid-term round through its form; the pilot school files
its self-evaluation (autosave survives a reload, a missing section and an out-of-range self-score are
refused at the field with nothing lost); the city signs its opinion; the experts score blind and the
leader signs; the province decides and publishes; anyone reads the public outcome and the showcase."""

import os
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import EvaluationRound
from portal.programmes.models import Project

TEXT = {
    "progress": "完成教师全员培训，常态化开展信息化课堂教学。",
    "indicators": "绩效指标均已达成。",
    "budget": "专款专用。",
    "tasks": "任务按期完成。",
    "cases": "形成双师课堂案例。",
    "problems": "设备老化，逐步更新。",
}


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_a_round_from_opening_to_the_public_outcome(session, live_server, demo_accounts, artifacts_dir, page):
    project = Project.objects.get(organisation__code="2441900004")
    shot = lambda p, name: p.screenshot(
        path=os.path.join(artifacts_dir, f"evaluation_{name}.png"),  # noqa: E731
        full_page=True,
    )
    # The province opens the round through the page.
    province = session("gd_province")
    province.goto(f"{live_server.url}/evaluation/new/")
    province.select_option("#id_call", label=project.call.title)
    province.select_option("#id_kind", label="中期评估")
    province.fill("#id_title", "试点校中期评估（浏览器）")
    province.select_option("#id_selection", label="指定项目")
    province.fill("#id_self_due_at", _local(timezone.now() + timedelta(days=10)))
    province.fill("#id_review_due_at", _local(timezone.now() + timedelta(days=20)))
    province.fill("#id_experts_per_project", "2")
    leader_value = province.locator("#id_leader option", has_text="周建平").get_attribute("value")
    province.select_option("#id_leader", value=leader_value)
    province.get_by_label(re.compile("李慧敏")).check()
    province.get_by_label(re.compile("巷头小学信息技术应用能力提升工程")).check()
    province.fill("#id_c-0-number", "1")
    province.fill("#id_c-0-title", "整校推进成效")
    province.fill("#id_c-0-max_points", "100")
    shot(province, "round_form")
    province.get_by_test_id("open-round").click()
    expect(province.get_by_test_id("round-title")).to_have_text("试点校中期评估（浏览器）")
    round_ = EvaluationRound.objects.get(title="试点校中期评估（浏览器）")
    entry = round_.entries.get()

    # The school files its self-evaluation.
    school = session("xt_school")
    school.goto(f"{live_server.url}/projects/{project.pk}/")
    school.get_by_role("link", name="评估与验收").click()
    school.get_by_role("link", name="试点校中期评估（浏览器）").click()
    expect(school.get_by_test_id("figures")).to_contain_text("项目数据")
    school.fill("#s-progress", TEXT["progress"])
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    school.reload()  # autosaved: survives a closed page
    expect(school.locator("#s-progress")).to_have_value(TEXT["progress"])
    for key, value in TEXT.items():
        if key != "budget":
            school.fill(f"#s-{key}", value)
    school.get_by_test_id("self-1").fill("120")
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    school.get_by_test_id("submit").click()
    summary = school.get_by_test_id("error-summary")
    expect(summary).to_contain_text("请填写“资金使用情况”。")
    expect(summary).to_contain_text("“整校推进成效”的得分须在 0 到 100 之间。")
    expect(school.locator("#s-cases")).to_have_value(TEXT["cases"])  # nothing typed is lost
    school.fill("#s-budget", TEXT["budget"])
    school.get_by_test_id("self-1").fill("92")
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    shot(school, "selfeval_form")
    school.get_by_test_id("submit").click()
    expect(school.get_by_test_id("entry-status")).to_have_text("待上级意见")

    # The city signs; the province gives the report to the panel.
    city = session("dg_city")
    city.goto(f"{live_server.url}/evaluation/entries/{entry.pk}/")
    city.fill("#opinion", "情况属实，同意报送。")
    city.get_by_test_id("opinion-agree").click()
    expect(city.get_by_test_id("entry-status")).to_have_text("待专家评审")
    province.goto(f"{live_server.url}/evaluation/{round_.pk}/")
    province.get_by_test_id("assign").click()
    expect(province.locator(".alert-success")).to_contain_text("已分配 2 份评估任务")

    # Each expert scores from the task list, blind to the other.
    for username, points in (("gd_expert", "88"), ("gd_expert2", "92")):
        expert = session(username)
        expert.goto(f"{live_server.url}/evaluation/tasks/")
        expert.get_by_role("link", name=re.compile("巷头小学")).click()
        expect(expert.get_by_test_id("dossier")).to_contain_text(TEXT["progress"])
        expert.fill("#p-1", points)
        expert.fill("#comment", "整校推进扎实。")
        expert.get_by_test_id("submit-score").click()
        expect(expert.get_by_test_id("total")).to_have_text(f"{points}.00")
        if username == "gd_expert":
            shot(expert, "score")
    leader = expert
    leader.goto(f"{live_server.url}/evaluation/entries/{entry.pk}/")
    leader.fill("#panel_opinion", "整校推进扎实，建议评为优秀。")
    leader.get_by_test_id("sign").click()
    expect(leader.get_by_test_id("entry-status")).to_have_text("专家组意见已签署")

    # The province decides (a grade is required) and publishes.
    province.goto(f"{live_server.url}/evaluation/entries/{entry.pk}/")
    expect(province.locator("main")).to_contain_text("截尾均分 90.00")
    province.get_by_test_id("decide").click()
    expect(province.locator(".alert-danger")).to_contain_text("请评定等级")
    province.select_option("#d-grade", label="优秀")
    province.get_by_test_id("decide").click()
    expect(province.get_by_test_id("outcome")).to_have_text("通过（优秀）")
    province.goto(f"{live_server.url}/evaluation/{round_.pk}/")
    province.get_by_test_id("publish").click()
    expect(province.get_by_test_id("round-status")).to_have_text("结果已公布")
    shot(province, "round")

    # The school reads its outcome without the experts' names; anyone reads the public pages.
    school.goto(f"{live_server.url}/evaluation/entries/{entry.pk}/")
    expect(school.get_by_test_id("outcome")).to_have_text("通过（优秀）")
    expect(school.locator("main")).not_to_contain_text("李慧敏")
    expect(school.locator("main")).not_to_contain_text("周建平")
    page.goto(f"{live_server.url}/notices/evaluation/{round_.pk}/")
    expect(page.get_by_test_id("public-outcomes")).to_contain_text("通过（优秀）")
    shot(page, "public_round")
    page.goto(f"{live_server.url}/notices/showcase/")
    page.select_option("#f-stage", label="小学")
    page.get_by_role("button", name="筛选").click()
    cards = page.get_by_test_id("showcase-cards")
    expect(cards).to_contain_text("城乡“双师课堂”同步教学模式")
    expect(cards).not_to_contain_text("基于平台数据的初中英语分层作业")
    expect(cards.get_by_test_id("accepted")).to_have_count(1)
    shot(page, "public_showcase")

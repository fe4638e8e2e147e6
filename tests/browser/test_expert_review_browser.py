"""Expert review in the browser: the administrator forms a panel and assigns automatically, two experts
score (blind until they submit), the administrator closes the review, the leader signs the panel
opinions, and the administrator sees the ranking."""

import os

from playwright.sync_api import expect

from portal.experts.services.pool import register_expert
from portal.orgs.choices import Role
from portal.orgs.models import Organisation, User
from portal.programmes.models import Application
from tests.factories import PASSWORD, make_user

DEMO_PASSWORD = "Demo@2026"


def _score_all(page, live_server, points):
    """points: applicant name → the four criteria's points."""
    for school, values in points.items():
        page.goto(f"{live_server.url}/experts/tasks/")
        page.get_by_test_id("task-row").filter(has_text=school).get_by_role("link", name="评分").click()
        expect(page.get_by_test_id("others")).to_contain_text("提交评分后可查看")  # blind until submitted
        for n, value in enumerate(values, 1):
            page.locator(f"input[name='points_{n}']").fill(value)
        page.fill("#id_comment", "实验方案目标明确，措施可行。")
        page.get_by_test_id("submit-score").click()
        expect(page.get_by_test_id("task-status")).to_contain_text("已提交")


def test_two_experts_score_the_leader_signs_and_the_administrator_sees_the_ranking(
    session, browser, live_server, demo_accounts, sign_in, artifacts_dir
):
    shot = lambda page, name: page.screenshot(path=os.path.join(artifacts_dir, f"experts_{name}.png"), full_page=True)
    admin = User.objects.get(username="gx_province")
    university = Organisation.objects.get(code="450000-GXNU")
    for username, name in (("expert_li", "李建国"), ("expert_zhou", "周慧")):
        register_expert(
            actor=admin, user=make_user(Role.EXPERT, university, username=username, real_name=name), field="教育技术学"
        )
    # The leader works in 南宁 (回避): both 南宁 schools go to the two other members.
    register_expert(
        actor=admin,
        user=User.objects.get(username="gx_expert"),
        field="教育技术学",
        region=Organisation.objects.get(code="450100"),
    )
    waiting = Application.objects.filter(applicant__code__in=["2450102002", "2450123001"])
    waiting.update(stage="expert")  # the county and city steps are another test's story

    region = session("gx_province", DEMO_PASSWORD)
    region.goto(f"{live_server.url}/experts/panels/")
    region.select_option("#id_call", label="第三批广西基础教育信息化融合创新实验区和实验校创建")
    region.fill("#id_name", "实验校第一专家组")
    region.select_option("#id_applicant_kind", "school")
    region.select_option("#id_leader", label="蒙晓云 · 教育技术学 · 广西师范大学")
    for name in ("李建国", "周慧"):
        region.get_by_label(name, exact=False).check()
    region.fill("#id_experts_per_application", "2")
    region.get_by_test_id("save-panel").click()
    region.get_by_test_id("auto-assign").click()
    expect(region.locator(".alert-success")).to_contain_text("已新分配 4 份评审任务")
    expect(region.get_by_test_id("assignments")).not_to_contain_text("蒙晓云")
    shot(region, "1_panel_assigned")

    li = session("expert_li", PASSWORD)
    first, second = "南宁市兴宁区第一初级中学", "隆安县实验小学"
    _score_all(li, live_server, {first: ["22", "20", "21", "23"], second: ["18", "17", "19", "16"]})
    expect(li.get_by_test_id("others")).to_contain_text("其他专家尚未提交")
    zhou = session("expert_zhou", PASSWORD)
    _score_all(zhou, live_server, {first: ["23", "21", "22", "21"], second: ["17", "18", "18", "15"]})
    expect(zhou.get_by_test_id("others")).to_contain_text("李建国")  # visible once submitted
    shot(zhou, "2_expert_sheet")

    region.reload()
    region.get_by_test_id("close-panel").click()
    expect(region.get_by_test_id("rank-row")).to_have_count(2)
    expect(region.get_by_test_id("rank-row").first).to_contain_text(first)
    expect(region.get_by_test_id("rank-row").first).to_contain_text("86.50")  # (86 + 87) / 2

    leader = session("gx_expert", DEMO_PASSWORD)
    leader.goto(f"{live_server.url}/experts/tasks/")
    leader.get_by_test_id("leader-link").click()
    for _ in range(2):
        item = leader.get_by_test_id("leader-item").filter(has=leader.get_by_test_id("leader-sign")).first
        item.get_by_label("推荐", exact=True).check()
        item.locator("textarea[name=text]").fill("专家组认为该校实验方案创新性强、可行性好，建议立项。")
        item.get_by_test_id("leader-sign").click()
        expect(leader.get_by_role("alert").filter(has_text="的专家组评审意见")).to_be_visible()
    expect(leader.get_by_test_id("signed")).to_have_count(2)
    shot(leader, "3_leader_signed")

    region.reload()
    shot(region, "4_ranking")
    region.goto(f"{live_server.url}/review/lists/")
    region.get_by_role("row", name="专家评审").get_by_role("link", name="查看").click()
    expect(region.get_by_test_id("entry").first).to_contain_text(first)
    shot(region, "5_expert_list")

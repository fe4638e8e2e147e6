"""Two browser stories of the forms issue: a provincial administrator opens a call on the configuration
page, and a school secretary's session expires in the middle of filling a form."""

import os
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from portal.programmes.models import Application, Call

FMT = "%Y-%m-%dT%H:%M"


def test_province_admin_opens_a_call(page, live_server, demo_accounts, sign_in, artifacts_dir):
    sign_in(page, "gx_province", "Demo@2026")
    page.goto(f"{live_server.url}/calls/new/")
    page.select_option("#id_programme", index=1)
    page.fill("#id_title", "2024年第四批实验区和实验校遴选")
    page.fill("#id_issuing_authority", "广西壮族自治区教育厅")
    page.fill("#id_document_number", "桂教网信〔2024〕7号")
    page.fill(
        "#id_notice_title", "关于开展第四批基于教学改革、融合信息技术的新型教与学模式实验区和实验校遴选工作的通知"
    )
    now = timezone.localtime()
    page.fill("#id_opens_at", (now - timedelta(days=1)).strftime(FMT))
    page.check("#id_is_published")
    page.select_option("#id_form_zone_county", "guangxi_zone")
    page.select_option("#id_form_school", "guangxi_school")
    page.fill("#id_target_zones", "10")
    page.fill("#id_target_schools", "40")
    page.fill("#id_cat-0-number", "1")
    page.fill("#id_cat-0-name", "面向课堂教学方式变革的需要，探索以学习者为中心的新型课堂教学模式")
    page.fill("#id_cat-0-keywords", "智慧课堂、互动式教学、翻转课堂")
    for i, level in enumerate(["county", "city", "province"]):
        page.select_option(f"#id_chain_{i}", level)
    page.fill("#id_quota_city_zone", "5")
    page.fill("#id_quota_city_school", "10")
    page.fill("#id_notice_days", "3")
    page.fill("#id_due_submit", (now + timedelta(days=20)).strftime(FMT))
    page.get_by_test_id("save-call").click()

    # Refused at the field, everything typed still there.
    expect(page.locator("#id_notice_days").locator("xpath=..")).to_contain_text("公示时间不少于5天。")
    expect(page.locator("#id_document_number")).to_have_value("桂教网信〔2024〕7号")
    expect(page.locator("#id_cat-0-keywords")).to_have_value("智慧课堂、互动式教学、翻转课堂")
    page.screenshot(path=os.path.join(artifacts_dir, "call_form_refused.png"), full_page=True)

    page.fill("#id_notice_days", "7")
    page.get_by_test_id("save-call").click()
    expect(page.locator("h1")).to_contain_text("2024年第四批实验区和实验校遴选")
    expect(page.locator("body")).to_contain_text("桂教网信〔2024〕7号")
    page.screenshot(path=os.path.join(artifacts_dir, "call_detail_new.png"), full_page=True)
    call = Call.objects.get(document_number="桂教网信〔2024〕7号")
    assert call.review_chain == ["county", "city", "province"] and call.notice_days == 7
    assert call.quotas.get(level="city", target="school").max_count == 10


def _a_new_application(browser, sign_in, live_server):
    """The demo school, in a browser context of its own, on a new application form of the Guangxi call."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, "gx_school", "Demo@2026")
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    page.get_by_test_id("apply").click()
    return context, page, call


def test_input_typed_after_the_session_expired_is_saved_after_signing_in_again(
    browser, live_server, demo_accounts, sign_in, artifacts_dir
):
    context, page, call = _a_new_application(browser, sign_in, live_server)
    page.fill("[name='experiment_name']", "智慧课堂精准教学实验")
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存", timeout=10000)

    context.clear_cookies(name="sessionid")  # the session has expired on the server's side
    overview = "以学习者为中心，利用课堂数据开展精准教学。"
    page.fill("[name='experiment_summary']", overview)
    expect(page.get_by_test_id("autosave-alert")).to_contain_text("登录已过期，您的修改已暂存在本机", timeout=10000)
    expect(page.get_by_test_id("save-state")).to_contain_text("未保存")
    page.screenshot(path=os.path.join(artifacts_dir, "form_session_expired.png"), full_page=True)
    application = Application.objects.get(call=call, applicant__code="2450102001")
    assert "experiment_summary" not in application.data or not application.data["experiment_summary"]
    page.close()  # the user even closes the tab

    page = context.new_page()
    sign_in(page, "gx_school", "Demo@2026")
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/")
    expect(page.get_by_test_id("autosave-alert")).to_contain_text("已恢复本机暂存的未保存内容")
    expect(page.locator("[name='experiment_summary']")).to_have_value(overview)
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存", timeout=10000)
    application.refresh_from_db()
    assert application.data["experiment_summary"] == overview
    assert application.data["experiment_name"] == "智慧课堂精准教学实验"
    context.close()


def test_typing_before_the_form_script_has_loaded_is_still_autosaved(browser, live_server, demo_accounts, sign_in):
    """On a slow connection the form shows before its script runs: what is typed in between has fired no
    input event the script heard, yet it must be saved and survive a closed page, and the toolbar must
    not claim “已保存” for it meanwhile."""
    context, page, call = _a_new_application(browser, sign_in, live_server)
    expect(page.get_by_test_id("save-state")).to_be_visible()
    edit_url = page.url

    held = []
    page.route("**/application-form.js*", lambda route: held.append(route))
    page.goto(edit_url, wait_until="commit")
    expect(page.get_by_test_id("save-state")).to_contain_text("上次保存")
    page.fill("[name='experiment_name']", "网络慢时输入的实验名称")
    page.wait_for_timeout(300)
    assert held, "the form script was requested"
    expect(page.get_by_test_id("save-state")).not_to_contain_text("已保存")
    with page.expect_response(lambda r: "autosave" in r.url and r.status == 200):
        held[0].continue_()
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存")
    page.close()

    page = context.new_page()
    page.goto(edit_url)
    expect(page.locator("[name='experiment_name']")).to_have_value("网络慢时输入的实验名称")
    application = Application.objects.get(call=call, applicant__code="2450102001")
    assert application.data["experiment_name"] == "网络慢时输入的实验名称"
    context.close()

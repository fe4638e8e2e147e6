"""The Guangxi school chain in four browser sessions: the school submits, the county recommends and
sends its list, the city recommends, notices its list publicly (an objection comes in from a visitor
without an account and is handled) and sends it up, and the region records the expert opinion,
approves and publishes. The school then sees every box signed and sealed."""

import os
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from portal.core.samples import blank_pdf
from portal.notifications.models import Notification
from portal.orgs.models import User
from portal.programmes.choices import Status
from portal.programmes.models import Application, Call
from portal.programmes.services.applications import save_draft, start_application
from portal.programmes.services.attachments import add_attachment
from portal.review.models import RecommendationList
from tests.programmes.helpers import complete_post


def _sign(page, outcome_label, text):
    page.get_by_label(outcome_label, exact=True).check()
    page.locator("#id_text").fill(text)
    page.get_by_test_id("sign").click()


def _notice_has_ended(level):
    # Five days pass: the test moves the notice period into the past instead of waiting.
    lst = RecommendationList.objects.get(level=level)
    now = timezone.now()
    RecommendationList.objects.filter(pk=lst.pk).update(
        notice_starts=now - timedelta(days=5, minutes=2), notice_ends=now - timedelta(minutes=1)
    )


def _draft_ready_to_submit(call):
    school = User.objects.get(username="gx_school")
    application = start_application(actor=school, call=call)
    definition = application.schema.definition
    save_draft(
        actor=school,
        application=application,
        raw=complete_post(definition, multiple=False),
        expected_version=application.lock_version,
    )
    for name, spec in definition["fields"].items():
        if spec.get("attach") == "evidence":
            add_attachment(
                actor=school,
                application=application,
                name="支撑材料.pdf",
                data=blank_pdf(),
                purpose="evidence",
                field=name,
            )
    return application


def test_guangxi_school_chain_in_four_sessions(session, browser, live_server, demo_accounts, sign_in, artifacts_dir):
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    application = _draft_ready_to_submit(call)
    shot = lambda page, name: page.screenshot(path=os.path.join(artifacts_dir, f"chain_{name}.png"), full_page=True)

    school = session("gx_school")
    school.goto(f"{live_server.url}/applications/{application.pk}/edit/")
    school.get_by_test_id("submit").click()
    expect(school.get_by_test_id("status")).to_have_text("已提交")
    expect(school.get_by_test_id("stage")).to_contain_text("县级教育行政部门")

    # County
    county = session("gx_county")
    unread = Notification.objects.filter(user__username="gx_county", read_at__isnull=True).count()
    expect(county.get_by_test_id("unread-count")).to_have_text(str(unread))
    county.goto(f"{live_server.url}/review/queue/")
    mine = county.get_by_test_id("queue-row").filter(has_text=application.applicant.name)
    expect(mine).to_have_count(1)  # beside the demo's waiting school
    shot(county, "1_county_queue")
    mine.get_by_role("link", name="审核", exact=True).click()
    expect(county.get_by_test_id("opinion-form")).to_contain_text("县级教育行政部门推荐意见")
    county.get_by_test_id("sign").click()  # nothing chosen: refused at the field
    expect(county.get_by_test_id("opinion-form")).to_contain_text("请选择审核结论。")
    _sign(county, "推荐", "该校信息化基础较好，实验方案可行，同意推荐。")
    expect(county.locator(".alert-success")).to_contain_text("已签署县级教育行政部门推荐意见")
    county.goto(f"{live_server.url}/review/lists/")
    county.get_by_role("row").filter(has_text="拟定中").get_by_role("link", name="查看").click()
    county.get_by_test_id("send-list").click()
    expect(county.get_by_test_id("sent")).to_contain_text(re.compile(r"已于 .* 上报（"))

    # City: recommend, notice publicly, an objection from the public, handled, then send up.
    city = session("gx_city")
    city.goto(f"{live_server.url}/review/applications/{application.pk}/")
    expect(city.get_by_test_id("box-county")).to_contain_text("同意推荐")
    expect(city.get_by_test_id("seal-county")).to_be_visible()
    shot(city, "2_city_review")
    _sign(city, "推荐", "经审核，符合申报条件，同意推荐。")
    city.goto(f"{live_server.url}/review/lists/")
    city.get_by_role("row", name="南宁市教育局").get_by_role("link", name="查看").click()
    expect(city.get_by_test_id("quota")).to_contain_text("剩余 9 个名额")
    city.get_by_test_id("send-list").click()
    expect(city.locator(".alert-danger")).to_contain_text("须先公示名单")
    city.get_by_test_id("start-notice").click()
    expect(city.get_by_test_id("notice-period")).to_contain_text("公示中")
    shot(city, "3_city_list_notice")
    notice_url = city.get_by_test_id("public-link").get_attribute("href")

    visitor = browser.new_context(locale="zh-CN").new_page()  # no account
    visitor.goto(f"{live_server.url}{notice_url}")
    expect(visitor.get_by_test_id("notice-title")).to_contain_text("拟推荐名单的公示")
    visitor.get_by_test_id("lodge").click()
    expect(visitor.get_by_test_id("objection-form")).to_contain_text("请填写姓名。")
    visitor.fill("#id_name", "李明")
    visitor.fill("#id_contact", "13800000000")
    visitor.fill("#id_text", "该校填报的近三年信息化投入与实际不符，请核查。")
    visitor.get_by_test_id("lodge").click()
    expect(visitor.locator(".alert-success")).to_contain_text("您的异议已提交")
    shot(visitor, "4_public_notice")

    city.reload()
    expect(city.get_by_test_id("objections")).to_contain_text("该校填报的近三年信息化投入与实际不符")
    _notice_has_ended("city")
    city.get_by_test_id("send-list").click()
    expect(city.locator(".alert-danger")).to_contain_text("尚有 1 条异议未处理")
    city.get_by_label("异议不成立").check()
    city.get_by_label("处理情况").fill("经核查，投入数据与财务账目一致，异议不成立，已电话告知异议人。")
    city.locator("[data-testid^=handle-]").click()
    expect(city.get_by_test_id("objections")).to_contain_text("异议不成立")
    city.get_by_test_id("send-list").click()
    expect(city.get_by_test_id("sent")).to_contain_text(re.compile(r"已于 .* 上报（"))
    city.get_by_test_id("summary-link").click()
    values = application.versions.get().content["values"]
    expect(city.get_by_test_id("summary-schools")).to_contain_text(values["org_name"])
    expect(city.get_by_test_id("summary-schools")).to_contain_text(values["head_mobile"])
    expect(city.get_by_test_id("contact-table")).to_contain_text(values["contact_name"])
    shot(city, "5_city_summary")

    # Region: the expert panel's opinion, then the decision, its own notice, and publication.
    region = session("gx_province")
    region.goto(f"{live_server.url}/review/applications/{application.pk}/")
    expect(region.get_by_test_id("opinion-form")).to_contain_text("专家组评审意见")
    _sign(region, "推荐", "专家组一致认为该校实验方案创新性强，建议立项。")
    region.goto(f"{live_server.url}/review/lists/")
    region.get_by_role("row", name="专家评审").get_by_role("link", name="查看").click()
    region.get_by_test_id("send-list").click()
    region.goto(f"{live_server.url}/review/applications/{application.pk}/")
    _sign(region, "同意立项", "同意立项为第三批广西基础教育信息化融合创新实验校。")
    region.goto(f"{live_server.url}/review/lists/")
    region.get_by_role("row", name="省级教育行政部门").get_by_role("link", name="查看").click()
    region.get_by_test_id("start-notice").click()
    # The click's POST and redirect must finish before the reload, or the reload races the navigation.
    expect(region.get_by_test_id("notice-period")).to_contain_text("公示中")
    _notice_has_ended("province")
    region.reload()
    region.get_by_test_id("send-list").click()
    expect(region.get_by_test_id("sent")).to_contain_text(re.compile(r"已于 .* 公布（"))

    school.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(school.get_by_test_id("status")).to_have_text("已立项")
    for level in ("county", "city", "province"):
        expect(school.get_by_test_id(f"seal-{level}")).to_be_visible()
    expect(school.get_by_test_id("box-expert")).to_contain_text("建议立项")
    expect(school.get_by_test_id("seal-expert")).to_have_count(0)  # the expert box is signed, not sealed
    expect(school.get_by_test_id("timeline")).to_contain_text("公布立项")
    shot(school, "6_school_approved")
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert Application.objects.get(pk=application.pk).project.organisation.code == "2450102001"

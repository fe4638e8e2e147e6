"""What a new user trips over, in the browser: a new province sets up its call on the
pages (categories added and removed on the page, an illogical chain refused with its reason), enters
a rubric of several criteria at once and reorders them, administers an account, and a Dongguan
school's application waits at its city with no county in between."""

import os
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from portal.experts.models import Criterion
from portal.orgs.models import User
from portal.programmes.models import Call

FMT = "%Y-%m-%dT%H:%M"


def test_a_new_province_sets_up_its_call_and_rubric_on_the_pages(
    page, live_server, demo_accounts, sign_in, artifacts_dir
):
    sign_in(page, "gd_province", "Demo@2026")
    page.goto(f"{live_server.url}/calls/new/")
    page.select_option("#id_programme", label="广东省信息技术与教育教学融合创新实验校（演示）")
    page.fill("#id_title", "2027年广东省融合创新实验校遴选")
    page.fill("#id_issuing_authority", "广东省教育厅")
    page.fill("#id_document_number", "粤教信息函〔2027〕3号")
    now = timezone.localtime()
    page.fill("#id_opens_at", (now - timedelta(days=1)).strftime(FMT))
    page.select_option("#id_form_school", "guangxi_school")
    page.fill("#id_due_submit", (now + timedelta(days=30)).strftime(FMT))
    categories = [
        ("面向课堂教学方式变革的需要", "智慧课堂、翻转课堂"),
        ("面向教师专业能力提升需要", "网络研修"),
        ("临时添加后删去的类别", "删去"),
        ("面向教育治理能力提升的需要", "数字校园、数据治理"),
    ]
    for i, (name, words) in enumerate(categories):
        if i:
            page.get_by_test_id("category-add").click()
        page.fill(f"#id_cat-{i}-name", name)
        page.fill(f"#id_cat-{i}-keywords", words)
    expect(page.locator("#id_cat-3-number")).to_have_value("4")  # numbered on the page
    page.locator("[data-formset-body='cat'] [data-formset-row]").nth(2).get_by_test_id("category-remove").click()
    for i, level in enumerate(["county", "province", "expert", "city"]):
        page.select_option(f"#id_chain_{i}", level)
    page.get_by_test_id("save-call").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("“专家评审”应排在“省级教育行政部门”之前")
    expect(summary).to_contain_text("“市级教育行政部门”不能排在“专家评审”之后")
    expect(page.locator("#id_cat-3-keywords")).to_have_value("数字校园、数据治理")  # the added rows survive
    expect(page.locator("#id_cat-2-name")).to_be_hidden()  # and the removed one stays gone
    page.screenshot(path=os.path.join(artifacts_dir, "new_province_call_refused.png"), full_page=True)
    summary.locator("a[href='#id_chain_0']").first.click()
    for i, level in enumerate(["county", "city", "expert", "province"]):
        page.select_option(f"#id_chain_{i}", level)
    page.get_by_test_id("save-call").click()
    expect(page.locator("h1")).to_contain_text("2027年广东省融合创新实验校遴选")
    call = Call.objects.get(document_number="粤教信息函〔2027〕3号")
    assert call.review_chain == ["county", "city", "expert", "province"]
    assert list(call.categories.order_by("number").values_list("number", "name")) == [
        (1, "面向课堂教学方式变革的需要"),
        (2, "面向教师专业能力提升需要"),
        (4, "面向教育治理能力提升的需要"),
    ]

    # The rubric: three criteria entered on one page, the last moved to the top, then saved once.
    page.goto(f"{live_server.url}/experts/rubrics/{call.pk}/school/")
    rows = [("工作基础", "40"), ("实验方案", "40"), ("保障措施", "20")]
    for i, (title, points) in enumerate(rows):
        if i:
            page.get_by_test_id("criterion-add").click()
        page.fill(f"#id_c-{i}-title", title)
        page.fill(f"#id_c-{i}-max_points", points)
    page.locator("[data-formset-body='c'] [data-formset-row]").nth(2).locator("[data-formset-up]").click()
    page.locator("[data-formset-body='c'] [data-formset-row]").nth(1).locator("[data-formset-up]").click()
    expect(page.locator("#id_c-2-number")).to_have_value("1")
    page.screenshot(path=os.path.join(artifacts_dir, "rubric_editor_rows.png"), full_page=True)
    page.get_by_test_id("save-rubric").click()
    expect(page.locator("body")).to_contain_text("满分 100")
    assert list(Criterion.objects.filter(rubric__call=call).values_list("title", flat=True)) == [
        "保障措施",
        "工作基础",
        "实验方案",
    ]


def test_an_administrator_creates_resets_and_deactivates_an_account(
    browser, live_server, demo_accounts, sign_in, artifacts_dir
):
    admin = browser.new_page()
    sign_in(admin, "gx_province", "Demo@2026")
    admin.goto(f"{live_server.url}/users/")
    admin.get_by_test_id("user-create").click()
    admin.fill("#id_username", "nn_teacher")
    admin.fill("#id_real_name", "黄晓丽")
    admin.fill("#id_organisation", "2450102002")
    admin.fill("#id_phone", "1390771")
    admin.check("input[name=roles][value=school_applicant]")
    admin.get_by_test_id("account-save").click()
    expect(admin.get_by_test_id("error-summary")).to_contain_text("手机号码应为 11 位数字，以 1 开头。")
    admin.screenshot(path=os.path.join(artifacts_dir, "account_form_refused.png"), full_page=True)
    admin.fill("#id_phone", "13907711234")
    admin.get_by_test_id("account-save").click()
    password = admin.get_by_test_id("temporary-password").inner_text().strip()
    admin.screenshot(path=os.path.join(artifacts_dir, "account_issued.png"), full_page=True)

    person = browser.new_page()
    sign_in(person, "nn_teacher", password)
    expect(person).to_have_url(re.compile(r"/accounts/password/"))  # must choose a new password first

    admin.goto(f"{live_server.url}/users/{User.objects.get(username='nn_teacher').pk}/")
    admin.fill("#id_reason", "已调离本单位")
    admin.get_by_test_id("account-deactivate").click()
    expect(admin.locator("body")).to_contain_text("已停用 黄晓丽 的账户")
    admin.screenshot(path=os.path.join(artifacts_dir, "account_deactivated.png"), full_page=True)
    person.goto(f"{live_server.url}/")
    expect(person).to_have_url(re.compile(r"/accounts/login/"))  # the open session is gone


def test_a_dongguan_school_waits_at_its_city_with_no_county_between(
    page, live_server, demo_accounts, sign_in, artifacts_dir
):
    sign_in(page, "dg_city", "Demo@2026")
    page.goto(f"{live_server.url}/review/queue/")
    expect(page.locator("body")).to_contain_text("东莞市第一初级中学")
    page.screenshot(path=os.path.join(artifacts_dir, "dongguan_city_queue.png"), full_page=True)


def test_the_city_upholds_an_objection_and_takes_the_application_off_its_list(
    page, live_server, demo_accounts, sign_in, artifacts_dir
):
    from portal.programmes.models import Application
    from portal.review.models import ListEntry, RecommendationList
    from portal.review.services import lists, objections
    from portal.review.services.decisions import Decision, decide

    city = User.objects.get(username="gx_city")
    call = Call.objects.get(document_number="桂教网信〔2023〕23号")
    application = Application.objects.get(call=call, stage="city")  # the demo's school recommended by its county
    decide(actor=city, application=application, decision=Decision(outcome="recommend", text="经审核，同意推荐。"))
    lst = RecommendationList.objects.get(call=call, level="city", organisation=city.organisation)
    now = timezone.now()
    lists.start_notice(actor=city, lst=lst, starts=now, ends=now + timedelta(days=5))
    lst.refresh_from_db()
    objection = objections.lodge(
        lst=lst,
        name="李明",
        contact="13800000000",
        application_id=application.pk,
        text="该校填报的近三年信息化投入与财务账目不符。",
        now=now + timedelta(minutes=1),
    )
    sign_in(page, "gx_city", "Demo@2026")
    page.goto(f"{live_server.url}/review/lists/{lst.pk}/")
    item = page.get_by_test_id(f"objection-{objection.pk}")
    item.get_by_label("异议成立，将该申请移出名单（不予推荐，告知申报单位）").check()
    item.get_by_label("异议成立", exact=True).check()
    item.get_by_label("处理情况（核查结果与理由）").fill("经核查，近三年投入数据与财务账目不符，异议成立。")
    item.get_by_test_id(f"handle-{objection.pk}").click()
    expect(page.get_by_test_id("objection-outcome")).to_contain_text("该申请已移出名单")
    page.screenshot(path=os.path.join(artifacts_dir, "objection_upheld.png"), full_page=True)
    application.refresh_from_db()
    assert application.status == "not_recommended"
    assert not ListEntry.objects.filter(list=lst, application=application).exists()

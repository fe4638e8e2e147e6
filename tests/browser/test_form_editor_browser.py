"""In the browser: Zhejiang derives its school form from the Guangxi one in the structured editor —
the Guangxi-only field removed, a field added, the years made to follow the call, the provincial box
titled by the province's word, an attachment listed; a wrong limit is marked at its field; undo and redo
— previews web form and print side by side, publishes it, opens a call with it; a school fills and
submits it; county, city and province review it; the printed PDF shows the new labels and boxes, and the
Guangxi form's applications are untouched."""

import os
import re
import subprocess
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from portal.core.samples import blank_pdf
from portal.formspec.models import FormSchema
from portal.orgs.choices import OrgKind, Role
from portal.orgs.models import Organisation
from portal.programmes.models import Application, Call, Programme
from tests.browser.test_application_forms_browser import _fill
from tests.browser.test_reports_browser import _export
from tests.browser.test_review_chain_browser import _sign
from tests.factories import make_org, make_user
from tests.programmes.helpers import complete_post

FMT = "%Y-%m-%dT%H:%M"
NEW_FIELD = "之江汇教育广场应用教师比例"


def _zhejiang():
    province = make_org("330000", OrgKind.PROVINCE, Organisation.objects.get(code="MOE"), name="浙江省教育厅")
    city = make_org("330100", OrgKind.CITY, province, name="杭州市教育局")
    county = make_org("330106", OrgKind.COUNTY, city, name="杭州市西湖区教育局")
    school = make_org("2330106001", OrgKind.SCHOOL, county, name="杭州市西湖区实验小学")
    for username, role, org in (
        ("zj_province", Role.PROVINCE_ADMIN, province),
        ("zj_city", Role.CITY_REVIEWER, city),
        ("zj_county", Role.COUNTY_REVIEWER, county),
        ("zj_school", Role.SCHOOL_APPLICANT, school),
    ):
        user = make_user(role, org, username=username)
        user.set_password("Demo@2026")
        user.save()
    Programme.objects.create(code="zj-fusion", name="浙江省信息化融合创新实验校", organisation=province)
    return school


def _saved(page):
    expect(page.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)


def test_zhejiang_derives_publishes_and_files_its_own_school_form(
    session, live_server, demo_accounts, artifacts_dir, tmp_path, browser
):
    shot = lambda p, name: p.screenshot(
        path=os.path.join(artifacts_dir, f"form_editor_{name}.png"),  # noqa: E731
        full_page=True,
    )
    guangxi = Application.objects.filter(schema__key="guangxi_school", version_count__gt=0).first()
    guangxi_values = guangxi.versions.order_by("-number").first().content["values"]
    _zhejiang()

    # The province derives a draft from the published Guangxi form.
    admin = session("zj_province")
    admin.goto(f"{live_server.url}/forms/guangxi_school/v2/")
    admin.get_by_test_id("derive-definition").click()
    expect(admin.locator("[data-path=key]")).to_have_value("p330000_school")

    # The Guangxi-only field goes (its row closes up).
    admin.get_by_test_id("toggle-textbook_ratio").click()
    admin.get_by_test_id("delete-field-textbook_ratio").click()
    expect(admin.get_by_test_id("toggle-textbook_ratio")).to_have_count(0)
    _saved(admin)
    from portal.formspec.models import FormDraft

    rows = FormDraft.objects.get().definition["sections"][1]["items"][0]["rows"]
    assert [{"label": "教师信息技术应用能力培训覆盖率"}, {"field": "training_coverage", "colspan": 3}] in rows

    # A field of Zhejiang's own, in the 学校简况 table.
    admin.get_by_test_id("add-table-row").nth(1).click()  # the 学校简况 table
    admin.locator("[data-path='fields.field_1.label']").fill(NEW_FIELD)
    admin.locator("[data-path='fields.field_1.label']").press("Tab")
    admin.locator("[data-path='fields.field_1.kind']").select_option("decimal")
    admin.locator("[data-path='fields.field_1.unit']").fill("%")
    admin.locator("[data-path='fields.field_1.places']").fill("1")
    admin.locator("[data-path='fields.field_1.max_value']").fill("100")
    # A wrong limit is refused at its field, and the problem list points there.
    admin.locator("[data-path='fields.field_1.max_chars']").fill("0")
    _saved(admin)
    expect(admin.locator("[data-path='fields.field_1.max_chars']")).to_have_class(re.compile("is-invalid"))
    expect(admin.get_by_test_id("problem-list")).to_contain_text(f"字段“{NEW_FIELD}”的字数上限：上限须为正整数。")
    shot(admin, "1_problem_at_field")
    admin.locator("[data-path='fields.field_1.max_chars']").fill("")
    _saved(admin)
    expect(admin.get_by_test_id("problems")).to_contain_text("检查通过")

    # The years follow the call: the Guangxi 2023 form's 2020–2022 become the three years before the call.
    expect(admin.get_by_test_id("base-year")).to_have_value("2023")
    admin.get_by_test_id("convert-years").click()
    expect(admin.get_by_test_id("editor-alert")).to_contain_text("处年份改为随申报批次变化")

    # A computed cell: the yearly average of the three years' investment, as an expression.
    admin.get_by_test_id("add-computed-row").nth(2).click()  # the investment table
    admin.locator("[data-path='computed.calc_1.label']").fill("年均投入（万元）")
    admin.locator("[data-path='computed.calc_1.expr']").fill("round((invest_2020 + invest_2021 + invest_2022) / 3, 2)")
    admin.locator("[data-path='sections[1].items[1].rows[3][0].label']").fill("年均投入（万元）")
    _saved(admin)
    expect(admin.get_by_test_id("problems")).to_contain_text("检查通过")
    assert FormDraft.objects.get().definition["sections"][1]["items"][1]["rows"][3] == [
        {"label": "年均投入（万元）"},
        {"computed": "calc_1", "colspan": 2},
    ]  # spans the table's width

    # The provincial box is titled by the province's word; an attachment is listed.
    admin.get_by_test_id("province-box-title").click()
    expect(admin.locator("[data-path='opinions[4].label']")).to_have_value("{province}教育厅意见")
    admin.get_by_test_id("add-attachment").click()
    admin.locator("[data-path='attachments[0]']").fill("学校信息化发展规划")
    admin.locator("[data-path='attachments[0]']").press("Tab")

    # Undo within the session takes the last step back; redo restores it.
    admin.get_by_test_id("undo").click()
    expect(admin.locator("[data-path='attachments[0]']")).to_have_value("新附件材料")
    admin.get_by_test_id("redo").click()
    expect(admin.locator("[data-path='attachments[0]']")).to_have_value("学校信息化发展规划")
    _saved(admin)
    admin.reload()  # saved on the server: survives a reload
    expect(admin.locator("[data-path='attachments[0]']")).to_have_value("学校信息化发展规划")
    expect(admin.get_by_test_id("toggle-field_1")).to_contain_text(NEW_FIELD)
    shot(admin, "2_editor")

    # Side-by-side preview for a 2026 call, then publish.
    admin.get_by_test_id("preview-draft").click()
    preview = admin.get_by_test_id("definition-preview")
    expect(preview).to_contain_text(NEW_FIELD)
    expect(preview).to_contain_text("2023年")
    expect(preview).not_to_contain_text("广西数字教材")
    expect(admin.get_by_test_id("opinion-boxes")).to_contain_text("省教育厅意见")
    expect(admin.get_by_test_id("pdf-pages").locator("img").first).to_be_visible()
    shot(admin, "3_preview")
    admin.get_by_test_id("publish-draft").click()
    expect(admin.locator("h1")).to_contain_text("p330000_school")
    schema = FormSchema.objects.get(key="p330000_school", version=1)

    # A call of the province with the new form.
    now = timezone.localtime()
    admin.goto(f"{live_server.url}/calls/new/")
    admin.select_option("#id_programme", label="浙江省信息化融合创新实验校")
    admin.fill("#id_title", "浙江省信息化融合创新实验校遴选")
    admin.fill("#id_issuing_authority", "浙江省教育厅")
    admin.fill("#id_document_number", "浙教办技〔2026〕5号")
    admin.fill("#id_opens_at", (now - timedelta(days=1)).strftime(FMT))
    admin.check("#id_is_published")
    admin.select_option("#id_form_school", "p330000_school")
    admin.fill("#id_target_schools", "20")
    admin.fill("#id_cat-0-number", "1")
    admin.fill("#id_cat-0-name", "面向课堂教学方式变革的新型课堂教学模式")
    admin.fill("#id_cat-0-keywords", "智慧课堂、互动式教学")
    for i, level in enumerate(["county", "city", "province"]):
        admin.select_option(f"#id_chain_{i}", level)
    admin.fill("#id_notice_days", "5")
    admin.fill("#id_due_submit", (now + timedelta(days=20)).strftime(FMT))
    admin.get_by_test_id("save-call").click()
    expect(admin.locator("h1")).to_contain_text("浙江省信息化融合创新实验校遴选")
    call = Call.objects.get(document_number="浙教办技〔2026〕5号")

    # The school fills the whole form in the page, its evidence uploaded.
    school = session("zj_school")
    school.goto(f"{live_server.url}/calls/{call.pk}/")
    school.get_by_test_id("apply").click()
    expect(school.locator("body")).to_contain_text(NEW_FIELD)
    application = Application.objects.get(call=call)
    assert application.schema == schema
    year = timezone.localtime(call.opens_at).year
    for back in (3, 2, 1):
        expect(school.locator("body")).to_contain_text(f"{year - back}年")
    post = complete_post(application.definition, multiple=False)
    post.update(field_1="86.5", invest_2020="10", invest_2021="20.5", invest_2022="30", keywords=["智慧课堂"])
    _fill(school, application.definition, post, list(post))
    # The computed cell followed the inputs as they were typed.
    expect(school.locator("output[data-computed=calc_1]")).to_have_text("20.17")
    expect(school.get_by_test_id("save-state")).to_contain_text("已保存", timeout=20_000)
    evidence = tmp_path / "支撑材料.pdf"
    evidence.write_bytes(blank_pdf())
    school.set_input_files("input[form='upload-work_basis']", str(evidence))
    school.click("button[form='upload-work_basis']")
    expect(school.get_by_test_id("attachments-work_basis")).to_contain_text("支撑材料.pdf")
    expect(school.get_by_label(NEW_FIELD)).to_have_value("86.5")  # kept across the upload's reload
    shot(school, "4_school_form")
    school.get_by_test_id("submit").click()
    expect(school.get_by_test_id("status")).to_contain_text("已提交", timeout=20_000)
    version = application.versions.get()
    assert version.content["values"]["field_1"] == "86.5" and "textbook_ratio" not in version.content["values"]
    assert version.content["computed"]["calc_1"] == "20.17"

    # County, city and province review it through the chain.
    for username, outcome, text in (("zj_county", "推荐", "同意推荐。"), ("zj_city", "推荐", "同意推荐。")):
        reviewer = session(username)
        reviewer.goto(f"{live_server.url}/review/applications/{application.pk}/")
        _sign(reviewer, outcome, text)
        reviewer.goto(f"{live_server.url}/review/lists/")
        reviewer.get_by_role("row").filter(has_text="拟定中").get_by_role("link", name="查看").click()
        reviewer.get_by_test_id("send-list").click()
        expect(reviewer.get_by_test_id("sent")).to_be_visible()
    admin.goto(f"{live_server.url}/review/applications/{application.pk}/")
    expect(admin.get_by_test_id("opinion-form")).to_contain_text("省教育厅意见")
    _sign(admin, "同意立项", "同意立项为浙江省信息化融合创新实验校。")

    # The print: the new labels and boxes, the years of the call, the seals of the chain.
    printer = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    printer.goto(f"{live_server.url}/accounts/login/")
    printer.fill("#id_username", "zj_school")
    printer.fill("#id_password", "Demo@2026")
    printer.click("button[type=submit]")
    printer.goto(f"{live_server.url}/applications/{application.pk}/")
    target = _export(printer, "application_pdf", tmp_path, timeout=30000)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(target), os.path.join(artifacts_dir, "form_editor_5_print")], check=False
    )
    text = "".join(
        subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True).stdout.decode().split()
    )
    assert (
        NEW_FIELD in text
        and "86.5" in text
        and "年均投入（万元）20.17" in text
        and f"{year - 3}年" in text
        and f"{year - 1}年" in text
    )
    assert "省教育厅意见" in text and "自治区教育厅意见" not in text and "广西数字教材" not in text
    assert "附件材料：1.学校信息化发展规划" in text

    # The Guangxi applications keep their form and their values.
    guangxi.refresh_from_db()
    assert (guangxi.schema.key, guangxi.schema.version) == ("guangxi_school", 2)
    assert guangxi.versions.order_by("-number").first().content["values"] == guangxi_values
    assert "textbook_ratio" in guangxi_values and guangxi.definition["opinions"][-1]["label"] == "自治区教育厅意见"


def test_the_editor_loses_nothing_to_an_expired_session_and_never_overwrites_a_colleague(
    session, live_server, demo_accounts, sign_in, artifacts_dir
):
    from portal.formspec import drafts
    from portal.formspec.models import FormDraft
    from portal.orgs.models import User

    page = session("gx_province")
    page.goto(f"{live_server.url}/forms/guangxi_school/v2/")
    page.get_by_test_id("derive-definition").click()
    draft = FormDraft.objects.get()

    # Drag to reorder: the second attachment dropped on the first.
    for name in ("材料甲", "材料乙"):
        page.get_by_test_id("add-attachment").click()
        last = page.locator("[data-path^='attachments[']").last
        last.fill(name)
        last.press("Tab")
    rows = page.locator("[data-drag-list=attachments]")
    rows.nth(1).drag_to(rows.nth(0))
    expect(page.locator("[data-path='attachments[0]']")).to_have_value("材料乙")
    expect(page.locator("[data-path='attachments[1]']")).to_have_value("材料甲")
    _saved(page)
    draft.refresh_from_db()
    assert draft.definition["attachments"] == ["材料乙", "材料甲"]

    # The session expires: the change stays in the browser, and is saved after signing in again.
    page.context.clear_cookies()
    page.locator("[data-path=title]").fill("广西壮族自治区实验校申请表（修订）")
    expect(page.get_by_test_id("editor-alert")).to_contain_text("登录已过期", timeout=20_000)
    sign_in(page, "gx_province", "Demo@2026")
    page.goto(f"{live_server.url}/forms/drafts/{draft.pk}/")
    expect(page.locator("[data-path=title]")).to_have_value("广西壮族自治区实验校申请表（修订）")
    _saved(page)
    draft.refresh_from_db()
    assert draft.definition["title"] == "广西壮族自治区实验校申请表（修订）"

    # A colleague saves meanwhile: this editor's next save is refused, and it may load theirs.
    theirs = draft.definition
    theirs["title"] = "同事修改的标题"
    drafts.save(actor=User.objects.get(username="gx_province"), draft=draft, definition=theirs, revision=draft.revision)
    page.locator("[data-path=notes]").fill("我的填表说明")
    expect(page.get_by_test_id("editor-alert")).to_contain_text("您的修改未保存", timeout=20_000)
    page.screenshot(path=os.path.join(artifacts_dir, "form_editor_6_conflict.png"))
    draft.refresh_from_db()
    assert draft.definition["title"] == "同事修改的标题" and not draft.definition.get("notes")
    page.get_by_test_id("load-theirs").click()
    expect(page.locator("[data-path=title]")).to_have_value("同事修改的标题")

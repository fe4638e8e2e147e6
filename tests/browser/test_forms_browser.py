"""In the browser: a province's administrator lists the forms,
previews the Guangxi school form, downloads it, imports a derived Shanxi form (a broken file first,
refused with its reason), sees it published and offered on the call page; every page passes the
accessibility check."""

import json
import os

from playwright.sync_api import expect

from tests.test_form_publish import derived_shanxi


def test_a_province_derives_and_publishes_a_form(session, live_server, demo_accounts, artifacts_dir):
    shot = lambda page, name: page.screenshot(path=os.path.join(artifacts_dir, f"forms_{name}.png"), full_page=True)
    admin = session("sx_province")
    admin.goto(f"{live_server.url}/")
    admin.get_by_role("link", name="表单定义").click()
    expect(admin.get_by_test_id("definition-row")).to_have_count(5)  # national_zone v2 and v3
    admin.get_by_role("link", name="基础教育信息化融合创新实验校申请表").click()
    preview = admin.get_by_test_id("definition-preview")
    expect(preview).to_contain_text("广西数字教材规模化应用教师比例")
    expect(admin.get_by_test_id("opinion-boxes")).to_contain_text("自治区教育厅意见")
    with admin.expect_download() as download:
        admin.get_by_test_id("export-definition").click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["key"] == "guangxi_school"
    shot(admin, "preview")

    admin.goto(f"{live_server.url}/forms/import/")
    admin.set_input_files(
        "#definition-file",
        files=[
            {"name": "broken.json", "mimeType": "application/json", "buffer": b'{"key": "shanxi_school", "version": 1}'}
        ],
    )
    admin.get_by_test_id("publish-definition").click()
    errors = admin.get_by_test_id("import-errors")
    expect(errors).to_contain_text("title：表单须有名称。")
    expect(errors).to_contain_text("sections：缺少此项，或不是列表。")
    body = json.dumps(derived_shanxi(), ensure_ascii=False).encode()
    admin.set_input_files(
        "#definition-file", files=[{"name": "shanxi_school.v1.json", "mimeType": "application/json", "buffer": body}]
    )
    admin.get_by_test_id("publish-definition").click()
    expect(admin.locator(".alert-success")).to_contain_text("已发布")
    expect(admin.get_by_test_id("definition-preview")).to_contain_text("人工智能教育开展情况")
    expect(admin.get_by_test_id("opinion-boxes")).to_contain_text("山西省教育厅意见")
    shot(admin, "published")
    admin.goto(f"{live_server.url}/calls/new/")
    expect(admin.locator("select[name=form_school] option[value=shanxi_school]")).to_have_count(1)

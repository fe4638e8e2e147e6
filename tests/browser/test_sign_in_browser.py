import os

from playwright.sync_api import expect

from portal.orgs.choices import Role

DASHBOARD_PANEL = {
    Role.SCHOOL_APPLICANT: "待填写的申报表",
    Role.BUREAU_APPLICANT: "待填写的申报表",
    Role.COUNTY_REVIEWER: "待审核事项",
    Role.CITY_REVIEWER: "待审核事项",
    Role.PROVINCE_ADMIN: "被锁定的账户",
    Role.EXPERT: "分配给我的评审任务",
    Role.MINISTRY_REVIEWER: "待审核事项",
    Role.SYSTEM_ADMIN: "被锁定的账户",
    Role.AUDIT_ADMIN: "近 24 小时安全事件",
}


def test_every_demo_role_signs_in_and_sees_its_dashboard(browser, live_server, demo_accounts, sign_in, artifacts_dir):
    seen = set()
    for account in demo_accounts:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        sign_in(page, account["username"], account["password"])
        expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
        expect(page.get_by_test_id("current-user")).to_have_text(account["name"])
        expect(page.locator(".portal-panel h2", has_text=DASHBOARD_PANEL[account["role"]])).to_be_visible()
        page.screenshot(path=os.path.join(artifacts_dir, f"dashboard_{account['username']}.png"), full_page=True)
        page.get_by_test_id("logout").click()
        expect(page.locator(".alert-success")).to_have_text("您已安全退出。")
        seen.add(account["role"])
        context.close()
    assert seen == set(Role.values)


def test_account_locks_after_five_failures(page, live_server, demo_accounts, sign_in, artifacts_dir):
    for _attempt in range(4):
        sign_in(page, "gx_city", "wrong-password")
        expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码错误")
    sign_in(page, "gx_city", "wrong-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("该账户因连续 5 次登录失败已被锁定")
    sign_in(page, "gx_city", "Demo@2026")
    expect(page.get_by_test_id("login-error")).to_contain_text("已被锁定")
    page.screenshot(path=os.path.join(artifacts_dir, "lockout.png"), full_page=True)


def test_county_user_cannot_open_another_countys_school(page, live_server, demo_accounts, sign_in, artifacts_dir):
    sign_in(page, "gx_county", "Demo@2026")
    page.goto(f"{live_server.url}/orgs/2450102001/")
    expect(page.get_by_test_id("org-name")).to_have_text("南宁市兴宁区实验小学")
    response = page.goto(f"{live_server.url}/orgs/2450123001/")
    assert response.status == 404
    expect(page.get_by_test_id("error-title")).to_have_text("页面不存在或不在您的管辖范围内")
    page.screenshot(path=os.path.join(artifacts_dir, "out_of_scope_404.png"), full_page=True)


def test_provincial_admin_imports_a_file_in_the_browser(
    page, live_server, demo_accounts, sign_in, tmp_path, artifacts_dir
):
    rows = [
        "机构代码,机构名称,机构类别,上级机构代码,行政区划代码,学校类型,办学性质",
        "2450102101,南宁市兴宁区民主路小学,学校,450102,450102,小学,公办",
        "2450102102,南宁市兴宁区错误学校,学校,450102,450123,小学,公办",
    ]
    bad = tmp_path / "学校.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sign_in(page, "gx_province", "Demo@2026")
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("input[type=submit]")
    expect(page.get_by_test_id("import-errors")).to_have_text("发现 1 处错误，本次导入未写入任何数据。")
    expect(page.get_by_test_id("import-report")).to_contain_text("450123（隆安县）不在上级机构的行政区划 450102 内。")
    page.screenshot(path=os.path.join(artifacts_dir, "import_errors.png"), full_page=True)
    good = tmp_path / "学校2.csv"
    good.write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")
    page.set_input_files("#id_file", str(good))
    page.click("input[type=submit]")
    expect(page.get_by_test_id("import-ok")).to_contain_text("机构新增 1 个")

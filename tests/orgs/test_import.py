import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from portal.audit.models import AuditEntry
from portal.orgs.choices import Role
from portal.orgs.importing.columns import ORG_COLUMNS, USER_COLUMNS
from portal.orgs.importing.service import import_file
from portal.orgs.models import Organisation, User
from tests.factories import make_user

ORG_HEADER = list(ORG_COLUMNS)
USER_HEADER = list(USER_COLUMNS)

GOOD_ORGS = [
    ["2450102101", "南宁市兴宁区民主路小学", "学校", "450102", "450102", "小学", "公办", "南宁市民主路1号", "530012"],
    ["2450123101", "隆安县城厢镇中心小学", "学校", "450123", "450123", "小学", "公办", "", ""],
    ["2450123102", "隆安县那桐镇定江教学点", "学校", "450123", "450123", "教学点", "公办", "", ""],
    ["2450123103", "隆安县育英学校", "学校", "450123", "450123", "九年一贯制学校", "民办", "", ""],
]
GOOD_USERS = [
    [
        "mzl_xx",
        "黄晓梅",
        "2450102101",
        "学校申报人",
        "教务主任",
        "13877112345",
        "0771-5812345",
        "hxm@example.cn",
        "Minzhu@2026",
    ],
    ["la_jyj", "蓝海", "450123", "县级审核人、区域申报人（教育局）", "副局长", "", "", "", "Longan#2026"],
]


def xlsx(orgs=(), users=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "机构"
    sheet.append(ORG_HEADER)
    for row in orgs:
        sheet.append(row)
    users_sheet = book.create_sheet("用户")
    users_sheet.append(USER_HEADER)
    for row in users:
        users_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header, rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


@pytest.fixture
def admin(tree):
    return make_user(Role.PROVINCE_ADMIN, tree.centre, username="gx_admin")


def test_good_file_creates_orgs_and_users_under_their_parents(tree, admin):
    report = import_file(actor=admin, name="学校.xlsx", data=xlsx(GOOD_ORGS, GOOD_USERS))
    assert report.ok, report.errors
    assert (report.result.orgs_created, report.result.users_created) == (4, 2)
    school = Organisation.objects.get(code="2450123102")
    assert (school.parent, school.path, school.school_type, school.region_name) == (
        tree.county_b,
        f"{tree.county_b.path}2450123102/",
        "teaching_point",
        "隆安县",
    )
    user = User.objects.get(username="la_jyj")
    assert (user.organisation, sorted(user.role_set), user.must_change_password) == (
        tree.county_b,
        ["bureau_applicant", "county_reviewer"],
        True,
    )
    assert user.check_password("Longan#2026")
    assert AuditEntry.objects.filter(action="orgs.organisation.create").count() == 4
    assert AuditEntry.objects.filter(action="orgs.user.create").count() == 2
    assert AuditEntry.objects.get(action="orgs.import.run").data["orgs_created"] == 4


def test_reimport_updates_instead_of_duplicating(tree, admin):
    import_file(actor=admin, name="a.xlsx", data=xlsx(GOOD_ORGS, GOOD_USERS))
    changed = [row[:] for row in GOOD_ORGS]
    changed[0][1] = "南宁市兴宁区民主路小学（新校区）"
    users = [row[:] for row in GOOD_USERS]
    users[1][3] = "县级审核人"
    report = import_file(actor=admin, name="a.xlsx", data=xlsx(changed, users))
    assert report.ok
    r = report.result
    assert (r.orgs_created, r.orgs_updated, r.orgs_unchanged, r.users_created, r.users_updated) == (0, 1, 3, 0, 1)
    assert Organisation.objects.filter(code="2450102101").get().name == "南宁市兴宁区民主路小学（新校区）"
    assert sorted(User.objects.get(username="la_jyj").role_set) == ["county_reviewer"]
    update = AuditEntry.objects.get(action="orgs.organisation.update")
    assert update.changes == {"name": ["南宁市兴宁区民主路小学", "南宁市兴宁区民主路小学（新校区）"]}


def test_bad_rows_are_reported_in_chinese_and_nothing_is_written(tree, admin):
    bad_orgs = GOOD_ORGS + [
        ["2450102102", "", "学校", "450102", "450102", "小学", "公办", "", ""],
        ["2450102103", "无效区划学校", "学校", "450102", "459999", "小学", "公办", "", ""],
        ["2450102104", "错区划学校", "学校", "450102", "450123", "小学", "公办", "", ""],
        ["2450102105", "无类型学校", "学校", "450102", "450102", "大学", "公办", "", ""],
        ["2450102106", "越权学校", "学校", "140105", "140105", "小学", "公办", "", ""],
        ["2450102107", "孤儿学校", "学校", "999999", "450102", "小学", "公办", "", ""],
        ["2450102101", "重复学校", "学校", "450102", "450102", "小学", "公办", "", "5300"],
    ]
    bad_users = GOOD_USERS + [["x", "某人", "2450102101", "校长", "", "12345", "", "not-an-email", "abc"]]
    report = import_file(actor=admin, name="bad.xlsx", data=xlsx(bad_orgs, bad_users))
    assert not report.ok
    got = {(e.sheet, e.row, e.column, e.message) for e in report.errors}
    assert ("机构", 6, "机构名称", "“机构名称”不能为空。") in got
    assert ("机构", 7, "行政区划代码", "459999 不是有效的 6 位行政区划代码（GB/T 2260）。") in got
    assert ("机构", 8, "行政区划代码", "450123（隆安县）不在上级机构的行政区划 450102 内。") in got
    assert (
        "机构",
        9,
        "学校类型",
        "学校须填写有效的学校类型，可选：小学、教学点、初中、普通高中、九年一贯制学校、十二年一贯制学校、完全中学、"
        "中等职业学校、特殊教育学校、幼儿园。",
    ) in got
    assert ("机构", 10, "上级机构代码", "上级机构 140105 不在您的管辖范围内。") in got
    assert ("机构", 11, "上级机构代码", "上级机构 999999 不存在（系统和本文件中均未找到）。") in got
    assert ("机构", 12, "机构代码", "机构代码 2450102101 在文件中重复出现。") in got
    assert ("机构", 12, "邮编", "邮编应为 6 位数字。") in got
    assert ("用户", 4, "用户名", "用户名只能由 3–150 位字母、数字或 _ . @ - 组成。") in got
    assert (
        "用户",
        4,
        "角色",
        "未知角色“校长”，可选：学校申报人、区域申报人（教育局）、县级审核人、市级审核人、省级管理员、评审专家、"
        "教育部审核人、系统管理员、审计管理员。",
    ) in got
    assert ("用户", 4, "手机", "手机号码应为 11 位数字，以 1 开头。") in got
    assert ("用户", 4, "电子邮件", "电子邮件地址格式不正确。") in got
    assert any(e.row == 4 and e.column == "初始密码" for e in report.errors)
    # Nothing half-imported: the good rows before the bad ones were not written either.
    assert not Organisation.objects.filter(code__in=[r[0] for r in GOOD_ORGS]).exists()
    assert not User.objects.filter(username__in=["mzl_xx", "la_jyj"]).exists()
    assert AuditEntry.objects.get(action="orgs.import.rejected").data["errors"] == len(report.errors)


def test_role_must_fit_the_organisation_and_the_importer(tree, admin):
    users = [
        ["a_city", "甲", "450102", "市级审核人", "", "", "", "", "Abcdef#2026"],
        ["a_sys", "乙", "450000", "系统管理员", "", "", "", "", "Abcdef#2026"],
    ]
    report = import_file(actor=admin, name="u.xlsx", data=xlsx(users=users))
    messages = {(e.row, e.message) for e in report.errors}
    assert (2, "“市级审核人”不能由县级教育行政部门的用户担任。") in messages
    assert (3, "您无权授予“系统管理员”角色。") in messages


def test_import_cannot_take_over_an_account_outside_scope(tree, admin):
    make_user(Role.SCHOOL_APPLICANT, tree.other_school, username="sx_user")
    users = [["sx_user", "丙", "2450102001", "学校申报人", "", "", "", "", "Abcdef#2026"]]
    report = import_file(actor=admin, name="u.xlsx", data=xlsx(users=users))
    assert [e.message for e in report.errors] == ["用户名 sx_user 已被您管辖范围以外的账户使用。"]


def test_csv_in_gbk_and_utf8_is_read(tree, admin):
    for encoding in ("gb18030", "utf-8-sig"):
        report = import_file(actor=admin, name="schools.csv", data=csv_bytes(ORG_HEADER, GOOD_ORGS[:2], encoding))
        assert report.ok, report.errors
    assert Organisation.objects.filter(code__in=["2450102101", "2450123101"]).count() == 2


def test_a_renamed_file_is_refused(tree, admin):
    report = import_file(actor=admin, name="schools.xlsx", data=b"MZ\x90\x00 not a workbook")
    assert [e.message for e in report.errors] == ["文件扩展名为 .xlsx，但内容不是 Excel 文件。"]


def test_parents_may_come_later_in_the_same_file(tree, admin):
    orgs = [
        ["2450126001", "宾阳县实验小学", "学校", "450126", "450126", "小学", "公办", "", ""],
        ["450126", "宾阳县教育局", "县级教育行政部门", "450100", "450126", "", "", "", ""],
    ]
    report = import_file(actor=admin, name="o.xlsx", data=xlsx(orgs))
    assert report.ok, report.errors
    assert Organisation.objects.get(code="2450126001").path == "/MOE/450000/450100/450126/2450126001/"


def test_dry_run_writes_nothing(tree, admin):
    report = import_file(actor=admin, name="o.xlsx", data=xlsx(GOOD_ORGS), dry_run=True)
    assert report.ok and report.result is None
    assert not Organisation.objects.filter(code="2450102101").exists()


def test_management_command_imports_and_fails_on_errors(tree, admin, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(GOOD_ORGS))
    call_command("import_orgs", str(good), "--as", "gx_admin")
    assert Organisation.objects.filter(code__in=[r[0] for r in GOOD_ORGS]).count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(ORG_HEADER, [["2450102199", "越权", "学校", "140105", "140105", "小学", "公办", "", ""]]))
    with pytest.raises(CommandError, match="导入未执行：共 1 处错误"):
        call_command("import_orgs", str(bad), "--as", "gx_admin")


def test_import_page_shows_the_row_report(client, tree, admin):
    client.force_login(admin)
    bad = [["2450102102", "", "学校", "450102", "450102", "小学", "公办", "", ""]]
    upload = io.BytesIO(xlsx(bad))
    upload.name = "bad.xlsx"
    response = client.post("/import/", {"file": upload})
    html = response.content.decode()
    assert "发现 1 处错误，本次导入未写入任何数据。" in html and "“机构名称”不能为空。" in html
    upload = io.BytesIO(xlsx(GOOD_ORGS))
    upload.name = "good.xlsx"
    html = client.post("/import/", {"file": upload}).content.decode()
    assert "导入完成：机构新增 4 个" in html


def test_template_download_has_both_sheets(client, tree, admin):
    from openpyxl import load_workbook

    client.force_login(admin)
    response = client.get("/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["机构", "用户"]
    assert [c.value for c in book["机构"][1]][:3] == ["*机构代码", "*机构名称", "*机构类别"]
    for sheet in book:  # printed on A4, one page wide, the head row on every page
        assert (int(sheet.page_setup.paperSize), sheet.page_setup.fitToWidth, sheet.print_title_rows) == (9, 1, "$1:$1")
    # The template's example rows are themselves a valid import.
    report = import_file(actor=admin, name="t.xlsx", data=response.content)
    assert report.ok, report.errors


def test_the_scope_counts_follow_every_import(client, tree, admin):
    """The dashboard's 管辖范围 counts are cached under the tree's stamp: an import that adds schools or
    changes a school shows at once, never the earlier counts."""
    from portal.orgs.selectors import children_summary

    before = children_summary(tree.province)["school"]
    assert children_summary(tree.province)["school"] == before  # served from the cache
    import_file(actor=admin, name="a.xlsx", data=xlsx(GOOD_ORGS, GOOD_USERS))
    added = sum(1 for row in GOOD_ORGS if row[2] == "学校")
    assert children_summary(tree.province)["school"] == before + added
    client.force_login(admin)
    assert f"{before + added} 个" in client.get("/").content.decode()
    changed = [row[:] for row in GOOD_ORGS]
    changed[0][1] = changed[0][1] + "（新校区）"
    from portal.orgs.selectors import tree_stamp

    stamp = tree_stamp()
    import_file(actor=admin, name="a.xlsx", data=xlsx(changed, GOOD_USERS))
    assert tree_stamp() != stamp  # a changed row moves it

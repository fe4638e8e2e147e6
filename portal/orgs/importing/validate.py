"""Checking every row of an import before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.orgs import divisions
from portal.orgs.choices import PARENT_KINDS, ROLE_ORG_KINDS, OrgKind, Ownership, Role, SchoolType
from portal.orgs.importing.columns import (
    FIELD_LABELS,
    ORG_COLUMNS,
    ORG_REQUIRED,
    ORG_SHEET,
    USER_COLUMNS,
    USER_REQUIRED,
    USER_SHEET,
)
from portal.orgs.importing.parse import ImportTables
from portal.orgs.models import Organisation, User

CODE_RE = re.compile(r"^[0-9A-Za-z-]{2,32}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,150}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
OFFICE_PHONE_RE = re.compile(r"^[0-9-]{7,20}$")
ROLE_SPLIT_RE = re.compile(r"[、,，;；\s]+")

# Roles a provincial administrator may hand out by import; the platform-wide ones are the
# system administrator's to grant.
PROVINCE_GRANTABLE = frozenset(Role.values) - {Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.MINISTRY_REVIEWER}

DIVISION_LEVEL = {OrgKind.PROVINCE: "province", OrgKind.CITY: "city", OrgKind.COUNTY: "county"}


def _lookup(labels_to_values: dict[str, str], text: str) -> str | None:
    return labels_to_values.get(text)


KIND_BY_TEXT = {**{c.label: c.value for c in OrgKind}, **{c.value: c.value for c in OrgKind}}
SCHOOL_TYPE_BY_TEXT = {
    **{c.label: c.value for c in SchoolType},
    **{c.value: c.value for c in SchoolType},
    "9年一贯制学校": SchoolType.NINE_YEAR,
    "高中": SchoolType.SENIOR,
    "中职": SchoolType.VOCATIONAL,
    "特殊教育": SchoolType.SPECIAL,
}
OWNERSHIP_BY_TEXT = {**{c.label: c.value for c in Ownership}, **{c.value: c.value for c in Ownership}}
ROLE_BY_TEXT = {**{c.label: c.value for c in Role}, **{c.value: c.value for c in Role}}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class PlannedOrg:
    row: int
    code: str
    parent_code: str
    fields: dict
    existing: Organisation | None


@dataclass
class PlannedUser:
    row: int
    username: str
    org_code: str
    roles: list[str]
    password: str
    fields: dict
    existing: User | None


@dataclass
class Plan:
    orgs: list[PlannedOrg] = field(default_factory=list)
    users: list[PlannedUser] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    known_orgs: dict[str, Organisation] = field(default_factory=dict)


class _Checker:
    def __init__(self, plan: Plan, sheet: str, row: int):
        self.plan, self.sheet, self.row = plan, sheet, row
        self.failed = False

    def error(self, field_name: str, message: str) -> None:
        self.failed = True
        self.plan.errors.append(RowError(self.sheet, self.row, FIELD_LABELS.get(field_name, field_name), message))

    def required(self, row: dict, headers: tuple[str, ...], columns: dict[str, str]) -> bool:
        """Report every empty required column; True when none is empty."""
        for header in headers:
            if not row.get(columns[header]):
                self.error(columns[header], f"“{header}”不能为空。")
        return not self.failed


def _in_scope(org: Organisation, scope_path: str | None) -> bool:
    return scope_path is None or org.path.startswith(scope_path)


def plan_import(tables: ImportTables, *, scope_path: str | None, actor_roles: frozenset[str]) -> Plan:
    """Check every row; the plan is applied only when `plan.errors` is empty.

    scope_path None means the whole tree (the system's own loaders and a system administrator
    at the ministry)."""
    plan = Plan()
    wanted = (
        {r.get("code", "") for r in tables.orgs}
        | {r.get("parent_code", "") for r in tables.orgs}
        | {r.get("org_code", "") for r in tables.users}
    )
    wanted.discard("")
    plan.known_orgs = {o.code: o for o in Organisation.objects.filter(code__in=wanted).select_related("parent")}
    _plan_orgs(plan, tables.orgs, scope_path)
    _plan_users(plan, tables.users, scope_path, actor_roles)
    return plan


def _plan_orgs(plan: Plan, rows: list[dict], scope_path: str | None) -> None:
    file_rows = {}
    for row in rows:
        code = row.get("code", "")
        if code and code not in file_rows:
            file_rows[code] = row
    seen: set[str] = set()
    for row in rows:
        check = _Checker(plan, ORG_SHEET, row["_row"])
        if not check.required(row, ORG_REQUIRED, ORG_COLUMNS):
            continue
        code, name = row["code"], row["name"]
        if not CODE_RE.match(code):
            check.error("code", "机构代码只能由 2–32 位字母、数字或“-”组成。")
        if code in seen:
            check.error("code", f"机构代码 {code} 在文件中重复出现。")
        seen.add(code)
        if len(name) > 200:
            check.error("name", "机构名称不能超过 200 个字符。")
        kind = KIND_BY_TEXT.get(row["kind"])
        if kind is None:
            check.error("kind", f"未知的机构类别“{row['kind']}”，可选：{'、'.join(OrgKind.labels)}。")
            continue
        existing = plan.known_orgs.get(code)
        if existing is not None and not _in_scope(existing, scope_path):
            check.error("code", f"机构代码 {code} 已被您管辖范围以外的机构使用。")
            continue
        parent_code = row.get("parent_code", "")
        parent_kind, parent_division = _check_parent(check, kind, parent_code, file_rows, plan, scope_path)
        if existing is not None and existing.parent_id and existing.parent.code != parent_code:
            check.error("parent_code", f"与现有记录的上级机构（{existing.parent.code}）不一致，导入不能迁移机构。")
        if existing is not None and existing.kind != kind:
            check.error("kind", f"与现有记录的机构类别（{OrgKind(existing.kind).label}）不一致。")
        fields = _check_org_fields(check, row, kind, parent_kind, parent_division)
        if not check.failed:
            plan.orgs.append(
                PlannedOrg(row["_row"], code, parent_code, {"name": name, "kind": kind, **fields}, existing)
            )


def _check_parent(check, kind, parent_code, file_rows, plan, scope_path):
    """Returns (parent kind, parent division code) when the parent is acceptable."""
    if not PARENT_KINDS[kind]:
        if parent_code:
            check.error("parent_code", f"{OrgKind(kind).label}不应有上级机构。")
        elif scope_path is not None:
            check.error("kind", f"您无权创建{OrgKind(kind).label}。")
        return None, ""
    if not parent_code:
        check.error("parent_code", "“上级机构代码”不能为空。")
        return None, ""
    parent = plan.known_orgs.get(parent_code)
    if parent is not None:
        if not _in_scope(parent, scope_path):
            check.error("parent_code", f"上级机构 {parent_code} 不在您的管辖范围内。")
            return None, ""
        parent_kind, parent_division = parent.kind, parent.division_code
    elif parent_code in file_rows:
        parent_row = file_rows[parent_code]
        parent_kind = KIND_BY_TEXT.get(parent_row.get("kind", ""))
        parent_division = parent_row.get("division_code", "")
    else:
        check.error("parent_code", f"上级机构 {parent_code} 不存在（系统和本文件中均未找到）。")
        return None, ""
    if parent_kind not in PARENT_KINDS[kind]:
        label = OrgKind(parent_kind).label if parent_kind else "未知类别"
        check.error("parent_code", f"{OrgKind(kind).label}不能隶属于{label}。")
        return None, ""
    return parent_kind, parent_division


def _check_org_fields(check, row, kind, parent_kind, parent_division) -> dict:
    fields = {
        "division_code": row.get("division_code", ""),
        "address": row.get("address", ""),
        "postcode": row.get("postcode", ""),
        "school_type": "",
        "ownership": "",
        "region_name": "",
    }
    division_code = fields["division_code"]
    needs_division = kind in DIVISION_LEVEL or kind == OrgKind.SCHOOL
    if needs_division and not division_code:
        check.error("division_code", "“行政区划代码”不能为空。")
    elif division_code:
        division = divisions.get(division_code)
        if division is None:
            check.error("division_code", f"{division_code} 不是有效的 6 位行政区划代码（GB/T 2260）。")
        else:
            level = DIVISION_LEVEL.get(kind)
            if level and division.level != level:
                check.error(
                    "division_code", f"{division_code}（{division.name}）不是{OrgKind(kind).label}对应级别的区划。"
                )
            elif parent_division and not divisions.is_within(division_code, parent_division):
                check.error(
                    "division_code", f"{division_code}（{division.name}）不在上级机构的行政区划 {parent_division} 内。"
                )
            fields["region_name"] = division.name
    if kind == OrgKind.SCHOOL:
        school_type = SCHOOL_TYPE_BY_TEXT.get(row.get("school_type", ""))
        if school_type is None:
            check.error("school_type", f"学校须填写有效的学校类型，可选：{'、'.join(SchoolType.labels)}。")
        ownership = OWNERSHIP_BY_TEXT.get(row.get("ownership", ""))
        if ownership is None:
            check.error("ownership", "学校须填写办学性质：公办或民办。")
        fields["school_type"], fields["ownership"] = school_type or "", ownership or ""
    elif row.get("school_type"):
        check.error("school_type", "只有学校才填写学校类型。")
    if fields["postcode"] and not re.fullmatch(r"\d{6}", fields["postcode"]):
        check.error("postcode", "邮编应为 6 位数字。")
    if len(fields["address"]) > 200:
        check.error("address", "通讯地址不能超过 200 个字符。")
    return fields


def _plan_users(plan: Plan, rows: list[dict], scope_path: str | None, actor_roles: frozenset[str]) -> None:
    usernames = {r.get("username", "") for r in rows} - {""}
    existing_users = {u.username: u for u in User.objects.filter(username__in=usernames).select_related("organisation")}
    planned_org_kinds = {p.code: p.fields["kind"] for p in plan.orgs}
    grantable = grantable_roles(actor_roles, scope_path)
    seen: set[str] = set()
    for row in rows:
        check = _Checker(plan, USER_SHEET, row["_row"])
        if not check.required(row, USER_REQUIRED, USER_COLUMNS):
            continue
        username = row["username"]
        if not USERNAME_RE.match(username):
            check.error("username", "用户名只能由 3–150 位字母、数字或 _ . @ - 组成。")
        if username in seen:
            check.error("username", f"用户名 {username} 在文件中重复出现。")
        seen.add(username)
        existing = existing_users.get(username)
        if existing is not None and (existing.organisation is None or not _in_scope(existing.organisation, scope_path)):
            check.error("username", f"用户名 {username} 已被您管辖范围以外的账户使用。")
            continue
        org_code = row["org_code"]
        org = plan.known_orgs.get(org_code)
        if org is not None and not _in_scope(org, scope_path):
            check.error("org_code", f"机构 {org_code} 不在您的管辖范围内。")
            continue
        org_kind = org.kind if org is not None else planned_org_kinds.get(org_code)
        if org_kind is None:
            check.error("org_code", f"机构 {org_code} 不存在（系统和本文件中均未找到有效记录）。")
            continue
        roles = _check_roles(check, row["roles"], org_kind, grantable)
        fields = _check_user_fields(check, row)
        password = row.get("password", "")
        if existing is None and not password:
            check.error("password", "新账户须填写初始密码。")
        elif existing is None:
            try:
                validate_password(password, User(username=username, real_name=row["real_name"]))
            except ValidationError as exc:
                check.error("password", "；".join(exc.messages))
        if not check.failed:
            plan.users.append(
                PlannedUser(
                    row["_row"], username, org_code, roles, password if existing is None else "", fields, existing
                )
            )


def grantable_roles(actor_roles: frozenset[str], scope_path: str | None) -> frozenset[str]:
    """The roles an actor may hand out: all of them for the system (or a system administrator), the
    province's own for a provincial administrator."""
    return frozenset(Role.values) if scope_path is None or Role.SYSTEM_ADMIN in actor_roles else PROVINCE_GRANTABLE


def role_refusal(role: str, org_kind: str, grantable: frozenset[str]) -> str | None:
    """Why `role` cannot be granted to a user of an `org_kind` organisation, or None. Shared by the
    import and the account pages."""
    if role not in grantable:
        return f"您无权授予“{Role(role).label}”角色。"
    if org_kind not in ROLE_ORG_KINDS[role]:
        return f"“{Role(role).label}”不能由{OrgKind(org_kind).label}的用户担任。"
    return None


def user_field_errors(fields: dict) -> list[tuple[str, str]]:
    """(field, message) for each contact detail that is malformed; blank ones are allowed."""
    errors = []
    if len(fields.get("real_name", "")) > 50:
        errors.append(("real_name", "姓名不能超过 50 个字符。"))
    if fields.get("phone") and not MOBILE_RE.match(fields["phone"]):
        errors.append(("phone", "手机号码应为 11 位数字，以 1 开头。"))
    if fields.get("office_phone") and not OFFICE_PHONE_RE.match(fields["office_phone"]):
        errors.append(("office_phone", "固话只能包含数字和“-”，如 0771-5815123。"))
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            errors.append(("email", "电子邮件地址格式不正确。"))
    return errors


def _check_roles(check, text: str, org_kind: str, grantable: frozenset[str]) -> list[str]:
    roles = []
    for token in filter(None, ROLE_SPLIT_RE.split(text)):
        role = ROLE_BY_TEXT.get(token)
        if role is None:
            check.error("roles", f"未知角色“{token}”，可选：{'、'.join(Role.labels)}。")
        elif refusal := role_refusal(role, org_kind, grantable):
            check.error("roles", refusal)
        else:
            roles.append(role)
    return sorted(set(roles))


def _check_user_fields(check, row) -> dict:
    fields = {k: row.get(k, "") for k in ("real_name", "job_title", "phone", "office_phone", "email")}
    for name, message in user_field_errors(fields):
        check.error(name, message)
    return fields

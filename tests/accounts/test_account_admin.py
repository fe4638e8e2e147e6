"""Administering single accounts from the pages: provincial and system
administrators create, edit, reset, deactivate and reactivate accounts in their scope; a reset
forces a new password at the next sign-in; deactivation ends sessions and API tokens; every action
is audited."""

import re

import pytest
from django.urls import reverse

from portal.audit.models import AuditEntry
from portal.orgs.choices import Role
from portal.orgs.models import User
from tests.factories import PASSWORD, make_user

NEW = {
    "username": "liang_wei",
    "real_name": "梁伟",
    "organisation": "2450102002",
    "job_title": "信息中心主任",
    "phone": "13907711234",
    "office_phone": "",
    "email": "lw@example.cn",
    "roles": ["school_applicant"],
}


@pytest.fixture
def admin(role_users):
    return role_users[Role.PROVINCE_ADMIN]


def _password(response) -> str:
    return re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode()).group(1)


def _api_token(client, username, password) -> str:
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_an_administrator_creates_an_account_whose_first_sign_in_asks_for_a_new_password(client, tree, admin):
    client.force_login(admin)
    assert 'data-testid="user-create"' in client.get(reverse("orgs:user_list")).content.decode()
    response = client.post(reverse("orgs:user_create"), NEW)
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    password = _password(response)
    user = User.objects.get(username="liang_wei")
    assert (user.organisation, user.role_set, user.must_change_password) == (
        tree.school_a2,
        frozenset({Role.SCHOOL_APPLICANT}),
        True,
    )
    entry = AuditEntry.objects.get(action="orgs.user.create", object_id=str(user.pk))
    assert entry.actor_id == admin.pk and entry.changes["roles"] == [None, ["school_applicant"]]
    assert password not in str(entry.changes) and password not in str(entry.data)
    client.logout()
    response = client.post("/accounts/login/", {"username": "liang_wei", "password": password}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/password/")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"organisation": "2140105001"}, "organisation", "机构 2140105001 不在您的管辖范围内。"),
        ({"organisation": "NOPE"}, "organisation", "机构代码 NOPE 不存在。"),
        ({"roles": ["county_reviewer"]}, "roles", "“县级审核人”不能由学校的用户担任。"),
        ({"roles": ["system_admin"]}, "roles", "您无权授予所选角色。"),
        ({"roles": []}, "roles", "请至少选择一个角色。"),
        ({"phone": "1390771"}, "phone", "手机号码应为 11 位数字，以 1 开头。"),
        ({"email": "lw@"}, "email", "电子邮件地址格式不正确。"),
        ({"username": "a b"}, "username", "用户名只能由 3–150 位字母、数字或 _ . @ - 组成。"),
        ({"username": "u_province_admin"}, "username", "用户名 u_province_admin 已被使用。"),
    ],
)
def test_a_refused_account_says_why_at_the_field_and_in_the_summary_and_keeps_the_input(
    client, tree, admin, change, field, message
):
    client.force_login(admin)
    before = User.objects.count()
    page = client.post(reverse("orgs:user_create"), {**NEW, **change}).content.decode()
    assert User.objects.count() == before
    summary = page[page.index('data-testid="error-summary"') : page.index("</ul>", page.index("error-summary"))]
    assert f'href="#id_{field}"' in summary and message in summary
    assert 'value="梁伟"' in page  # nothing typed is lost


def test_outside_its_scope_an_administrator_gets_404_and_others_get_403(client, tree, admin, role_users):
    stranger = make_user(Role.SCHOOL_APPLICANT, tree.other_school, username="sx_teacher")
    client.force_login(admin)
    for name in ("orgs:user_edit",):
        assert client.get(reverse(name, args=[stranger.pk])).status_code == 404
    for name in ("orgs:user_reset_password", "orgs:user_deactivate", "orgs:user_reactivate"):
        assert client.post(reverse(name, args=[stranger.pk]), {"reason": "x"}).status_code == 404
    client.force_login(role_users[Role.CITY_REVIEWER])
    assert client.get(reverse("orgs:user_create")).status_code == 403


def test_a_provincial_administrator_cannot_touch_an_account_with_roles_it_cannot_grant(client, tree, admin):
    sysadmin = make_user(Role.SYSTEM_ADMIN, tree.province, username="gx_sysadmin")
    client.force_login(admin)
    assert (
        'data-testid="account-actions"'
        not in client.get(reverse("orgs:user_detail", args=[sysadmin.pk])).content.decode()
    )
    client.post(reverse("orgs:user_reset_password", args=[sysadmin.pk]))
    client.post(reverse("orgs:user_deactivate", args=[sysadmin.pk]), {"reason": "试图越权"})
    sysadmin.refresh_from_db()
    assert sysadmin.is_active and sysadmin.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action__in=["orgs.user.reset_password", "orgs.user.deactivate"]).exists()


def test_editing_roles_and_details_is_audited_with_the_difference(client, tree, admin):
    person = make_user(Role.COUNTY_REVIEWER, tree.county_a, username="county_clerk", real_name="覃海燕")
    client.force_login(admin)
    response = client.post(
        reverse("orgs:user_edit", args=[person.pk]),
        {
            "real_name": "覃海燕",
            "organisation": "450102",
            "job_title": "副局长",
            "phone": "13907711888",
            "office_phone": "",
            "email": "",
            "roles": ["county_reviewer", "bureau_applicant"],
        },
    )
    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.role_set == {Role.COUNTY_REVIEWER, Role.BUREAU_APPLICANT} and person.phone == "13907711888"
    changes = AuditEntry.objects.get(action="orgs.user.update", object_id=str(person.pk)).changes
    assert changes["roles"] == [["county_reviewer"], ["bureau_applicant", "county_reviewer"]]
    assert changes["job_title"][1] == "副局长"


def test_a_reset_ends_the_old_password_sessions_and_tokens_and_forces_a_change(client, tree, admin):
    from django.test import Client

    person = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="teacher1")
    theirs = Client()
    theirs.force_login(person)
    token = _api_token(Client(), "teacher1", PASSWORD)
    client.force_login(admin)
    new_password = _password(client.post(reverse("orgs:user_reset_password", args=[person.pk])))
    person.refresh_from_db()
    assert person.must_change_password and not person.check_password(PASSWORD) and person.check_password(new_password)
    assert theirs.get("/").status_code == 302  # their session is over
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    entry = AuditEntry.objects.get(action="orgs.user.reset_password", object_id=str(person.pk))
    assert entry.actor_id == admin.pk and new_password not in str(entry.data)


def test_deactivation_needs_a_reason_ends_access_and_can_be_undone(client, tree, admin):
    from django.test import Client

    person = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="teacher2")
    theirs = Client()
    theirs.force_login(person)
    token = _api_token(Client(), "teacher2", PASSWORD)
    client.force_login(admin)
    url = reverse("orgs:user_deactivate", args=[person.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请填写停用原因。" in response.content.decode()
    assert User.objects.get(pk=person.pk).is_active
    client.post(url, {"reason": "已调离本单位"})
    assert not User.objects.get(pk=person.pk).is_active
    assert theirs.get("/").status_code == 302
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert Client().post("/accounts/login/", {"username": "teacher2", "password": PASSWORD}).status_code == 200
    entry = AuditEntry.objects.get(action="orgs.user.deactivate", object_id=str(person.pk))
    assert entry.data["reason"] == "已调离本单位" and entry.data["sessions_ended"] == 1
    page = client.get(reverse("orgs:user_detail", args=[person.pk])).content.decode()
    assert 'data-testid="account-reactivate"' in page
    client.post(reverse("orgs:user_reactivate", args=[person.pk]))
    assert Client().post("/accounts/login/", {"username": "teacher2", "password": PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(action="orgs.user.reactivate", object_id=str(person.pk)).exists()


def test_an_administrator_cannot_deactivate_or_reset_itself(client, admin):
    client.force_login(admin)
    client.post(reverse("orgs:user_deactivate", args=[admin.pk]), {"reason": "试一下"})
    client.post(reverse("orgs:user_reset_password", args=[admin.pk]))
    admin.refresh_from_db()
    assert admin.is_active and admin.check_password(PASSWORD)

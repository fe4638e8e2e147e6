from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import SESSION_LAST_ACTIVITY
from portal.audit.models import AuditEntry
from portal.orgs.choices import Role
from tests.factories import PASSWORD, make_user

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def actions(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True))


@pytest.mark.parametrize(
    "password, ok",
    [
        ("Abcdef1!", True),
        ("abcdef12", False),
        ("ABCDEFG1", False),
        ("Ab1!", False),
        ("abcdefg!1", True),
        ("12345678", False),
    ],
)
def test_password_rules_length_and_three_character_classes(db, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_complexity_message_is_chinese(db):
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefgh12")
    assert "密码须至少包含大写字母、小写字母、数字、特殊字符中的 3 类。" in exc.value.messages


def test_login_succeeds_issues_new_session_key_and_is_audited(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = _login(client, "reviewer", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != before
    entry = AuditEntry.objects.get(action="accounts.login.success")
    assert (entry.actor_id, entry.ip_address, entry.org_path) == (user.pk, "10.1.2.3", tree.county_a.path)


def test_wrong_password_shows_chinese_reason_and_is_audited(client, tree):
    make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    response = _login(client, "reviewer", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误。连续失败 5 次后账户将被锁定 15 分钟。" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.login.failure")
    assert entry.actor_username == "reviewer" and entry.org_path == tree.county_a.path


def test_five_failures_lock_the_account_even_for_the_right_password(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    for _ in range(5):
        response = _login(client, "reviewer", "wrong")
    user.refresh_from_db()
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - timezone.now() <= timedelta(minutes=15)
    assert "该账户因连续 5 次登录失败已被锁定" in response.content.decode()
    response = _login(client, "reviewer", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert actions(actor_username="reviewer") == ["accounts.login.failure"] * 5 + [
        "accounts.login.locked",
        "accounts.login.refused_locked",
    ]


def test_lock_expires_after_the_lockout_period(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    user.locked_until = timezone.now() - timedelta(seconds=1)
    user.save()
    assert _login(client, "reviewer", PASSWORD).status_code == 302


def test_unknown_username_fails_with_the_same_message(client, db):
    response = _login(client, "nobody", "whatever")
    assert "用户名或密码错误。" in response.content.decode()
    assert AuditEntry.objects.get(action="accounts.login.failure").data["known_account"] is False


def test_admin_unlocks_account_in_scope_and_it_is_audited(client, tree):
    admin = make_user(Role.PROVINCE_ADMIN, tree.centre)
    user = make_user(Role.SCHOOL_APPLICANT, tree.school_a1)
    user.locked_until = timezone.now() + timedelta(minutes=10)
    user.save()
    client.force_login(admin)
    response = client.post(reverse("orgs:user_unlock", args=[user.pk]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.locked_until is None
    assert AuditEntry.objects.get(action="orgs.user.unlock").object_id == str(user.pk)


def test_idle_session_is_logged_out_after_30_minutes_and_audited(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a)
    client.force_login(user)
    session = client.session
    session[SESSION_LAST_ACTIVITY] = int((timezone.now() - timedelta(minutes=31)).timestamp())
    session.save()
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.session.idle_timeout", actor=user).count() == 1


def test_session_active_within_30_minutes_stays(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a)
    client.force_login(user)
    session = client.session
    session[SESSION_LAST_ACTIVITY] = int((timezone.now() - timedelta(minutes=29)).timestamp())
    session.save()
    assert client.get("/orgs/").status_code == 200


def test_logout_is_post_only_and_audited(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a)
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert actions(actor=user) == ["accounts.logout"]


def test_initial_password_must_be_changed_before_anything_else(client, tree):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a, must_change_password=True)
    client.force_login(user)
    assert client.get("/orgs/")["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Nanning#2027", "new_password2": "Nanning#2027"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert client.get("/orgs/").status_code == 200
    assert "accounts.password.change" in actions(actor=user)


def test_api_token_obeys_the_same_lockout(client, tree):
    make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    for _ in range(5):
        assert client.post("/api/v1/auth/token/", {"username": "reviewer", "password": "x"}).status_code == 401
    response = client.post("/api/v1/auth/token/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 401 and "已被锁定" in response.json()["detail"]


def test_api_token_authenticates_requests(client, tree):
    make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    token = client.post("/api/v1/auth/token/", {"username": "reviewer", "password": PASSWORD}).json()["token"]
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.json()["username"] == "reviewer"


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!x", "密码太短：至少需要 8 个字符。"),
        ("password", "密码过于常见，容易被猜到，请换一个。"),
        ("1234567890", "密码不能全部是数字。"),
        ("Reviewer01!", "密码与您的用户名过于相似，请换一个。"),
    ],
)
def test_every_password_rule_answers_in_chinese(db, tree, password, message):
    user = make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer01")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert message in exc.value.messages
    assert not any(ch.isascii() and ch.isalpha() for m in exc.value.messages for ch in m.replace("Ab1!x", ""))


def test_the_password_change_page_shows_no_english(client, tree):
    make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")
    client.post(LOGIN, {"username": "reviewer", "password": PASSWORD})
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"}
    )
    page = response.content.decode()
    assert "密码太短：至少需要 8 个字符。" in page
    assert "too short" not in page and "This password" not in page

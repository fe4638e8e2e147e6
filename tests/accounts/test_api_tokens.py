"""API tokens expire (idle and absolute), die with a password change, a lock or a
deactivation, are issued anew on each request, and can be listed and revoked. Before, one token per
user lived for ever, and an invalid token answered 403 instead of 401."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts import tokens
from portal.accounts.models import ApiToken
from portal.audit.models import AuditEntry
from portal.orgs.choices import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def reviewer(tree):
    return make_user(Role.COUNTY_REVIEWER, tree.county_a, username="reviewer")


def _token(client, username="reviewer", password=PASSWORD):
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _me(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_each_request_issues_a_new_token_and_only_its_hash_is_kept(client, reviewer, settings):
    first, second = _token(client), _token(client)
    assert first["token"] != second["token"] and second["idle_hours"] == settings.PORTAL_TOKEN_IDLE_HOURS
    assert _me(client, first["token"]).status_code == 200 and _me(client, second["token"]).status_code == 200
    stored = ApiToken.objects.filter(user=reviewer)
    assert stored.count() == 2 and not stored.filter(key_hash=first["token"]).exists()
    assert AuditEntry.objects.filter(action="accounts.token.issue", actor_username="reviewer").count() == 2


@pytest.mark.parametrize("header", ["Token nonsense", "Token", "Token a b", "Bearer nonsense", "Token \u00e9"])
def test_an_invalid_token_is_401_with_the_scheme(client, reviewer, header):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"' and response.json()["detail"]


def test_bearer_works_too(client, reviewer):
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {_token(client)['token']}").status_code == 200


def test_a_token_unused_for_the_idle_time_lapses(client, reviewer, settings):
    key = _token(client)["token"]
    assert _me(client, key).status_code == 200
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(hours=settings.PORTAL_TOKEN_IDLE_HOURS, minutes=1))
    response = _me(client, key)
    assert response.status_code == 401 and "未使用" in response.json()["detail"]


def test_use_keeps_a_token_alive_within_the_idle_time(client, reviewer, settings):
    key = _token(client)["token"]
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(hours=settings.PORTAL_TOKEN_IDLE_HOURS - 1))
    assert _me(client, key).status_code == 200
    assert ApiToken.objects.get().last_used_at > timezone.now() - timedelta(minutes=1)


def test_a_token_past_its_absolute_lifetime_lapses_even_in_use(client, reviewer, settings):
    key = _token(client)["token"]
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=settings.PORTAL_TOKEN_MAX_DAYS)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1), last_used_at=timezone.now())
    assert _me(client, key).status_code == 401 and "已过期" in _me(client, key).json()["detail"]


def test_a_password_change_revokes_every_token(client, reviewer):
    key = _token(client)["token"]
    client.force_login(reviewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Xy7!pilot-2026", "new_password2": "Xy7!pilot-2026"},
    )
    assert response.status_code == 302
    client.logout()
    assert _me(client, key).status_code == 401
    assert ApiToken.objects.get().revoked_reason == "password"


def test_a_password_set_elsewhere_still_ends_older_tokens(client, reviewer):
    """Any path that changes the password (an administrator, the import) and stamps the time ends them."""
    key = _token(client)["token"]
    reviewer.set_password("Another!pass9")
    reviewer.password_changed_at = timezone.now()
    reviewer.save()
    response = _me(client, key)
    assert response.status_code == 401 and "密码已修改" in response.json()["detail"]


def test_a_lock_revokes_every_token(client, reviewer, settings):
    key = _token(client)["token"]
    for _ in range(settings.PORTAL_LOGIN_MAX_FAILURES):
        client.post("/api/v1/auth/token/", {"username": "reviewer", "password": "wrong"})
    assert _me(client, key).status_code == 401
    assert ApiToken.objects.get().revoked_reason == "locked"


def test_a_deactivated_user_cannot_use_a_token(client, reviewer):
    key = _token(client)["token"]
    reviewer.is_active = False
    reviewer.save()
    assert _me(client, key).status_code == 401


def test_tokens_are_listed_and_revoked_through_the_api(client, reviewer, tree):
    first, second = _token(client)["token"], _token(client)["token"]
    listed = _me(client, first).wsgi_request  # noqa: F841 — marks first as used
    response = client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {first}")
    rows = response.json()
    assert [r["prefix"] for r in rows] == [second[:8], first[:8]] and "key_hash" not in rows[0]
    assert (
        client.delete(f"/api/v1/auth/tokens/{rows[0]['id']}/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 204
    )
    assert _me(client, second).status_code == 401 and _me(client, first).status_code == 200
    other = make_user(Role.COUNTY_REVIEWER, tree.county_b, username="other")
    theirs, _ = tokens.issue(other)
    assert client.delete(f"/api/v1/auth/tokens/{theirs.pk}/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 404
    assert AuditEntry.objects.filter(action="accounts.token.revoke").count() == 1


def test_tokens_are_listed_and_revoked_on_the_page(client, reviewer):
    keys = [_token(client)["token"] for _ in range(3)]
    client.force_login(reviewer)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert page.count('data-testid="token-row"') == 3 and all(f"{k[:8]}…" in page for k in keys)
    assert all(k not in page for k in keys)  # the key itself is never shown again
    token = ApiToken.objects.get(prefix=keys[0][:8])
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert _me(client, keys[0]).status_code == 401 and _me(client, keys[1]).status_code == 200
    client.post(reverse("accounts:token_revoke_all"))
    assert _me(client, keys[1]).status_code == 401 and _me(client, keys[2]).status_code == 401


def test_the_number_of_live_tokens_is_bounded(reviewer):
    for _ in range(tokens.MAX_LIVE_TOKENS + 3):
        tokens.issue(reviewer)
    assert tokens.live_tokens(reviewer).count() == tokens.MAX_LIVE_TOKENS
    assert ApiToken.objects.filter(revoked_reason="superseded").count() == 3


def test_the_nightly_sweep_deletes_long_dead_tokens(reviewer):
    from portal.accounts.services import clear_expired_sessions

    old, _ = tokens.issue(reviewer)
    fresh, _ = tokens.issue(reviewer)
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=31))
    clear_expired_sessions()
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [fresh.pk]

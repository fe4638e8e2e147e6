"""API tokens that expire: issue, check, list, revoke.

A token is valid while all of these hold: not revoked; issued less than PORTAL_TOKEN_MAX_DAYS ago;
used within the last PORTAL_TOKEN_IDLE_HOURS; its user active and not locked; and issued after the
user's last password change. The last three are checked on every request, so no path that
deactivates, locks or re-passwords a user (page, import, command) can leave a token alive; the
services below also mark the tokens revoked, so the list shows why they ended."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from portal.accounts.models import ApiToken
from portal.audit.services import log_action

# Each new sign-in through the API issues a new token; beyond this many live ones the oldest go.
MAX_LIVE_TOKENS = 20
# last_used_at is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)
REASONS = {
    "user": "用户吊销",
    "password": "密码已修改",
    "locked": "账户被锁定",
    "inactive": "账户已停用",
    "superseded": "令牌过多，自动吊销最早的",
}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(hours=settings.PORTAL_TOKEN_IDLE_HOURS)


def live_filter(now=None) -> Q:
    now = now or timezone.now()
    return Q(revoked_at__isnull=True, expires_at__gt=now) & (
        Q(last_used_at__gt=now - idle_limit()) | Q(last_used_at__isnull=True, created_at__gt=now - idle_limit())
    )


def issue(user, *, ip: str | None = None, user_agent: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; returns it with its key, which is never stored or shown again."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=_digest(key),
        prefix=key[:8],
        ip_address=ip,
        user_agent=user_agent[:300],
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_TOKEN_MAX_DAYS),
    )
    stale = list(ApiToken.objects.filter(live_filter(now), user=user).values_list("pk", flat=True)[MAX_LIVE_TOKENS:])
    if stale:
        ApiToken.objects.filter(pk__in=stale).update(revoked_at=now, revoked_reason="superseded")
    log_action(
        "accounts.token.issue", actor=user, obj=user, data={"token": token.prefix, "expires_at": token.expires_at}
    )
    return token, key


def live_tokens(user):
    tokens = ApiToken.objects.filter(live_filter(), user=user)
    if user.password_changed_at:
        tokens = tokens.filter(created_at__gte=user.password_changed_at)
    return tokens


def revoke(token: ApiToken, *, actor, reason: str = "user") -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason
        )
        log_action(
            "accounts.token.revoke",
            actor=actor,
            obj=token.user,
            data={"token": token.prefix, "reason": REASONS.get(reason, reason)},
        )


def revoke_all(user, *, actor=None, reason: str) -> int:
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if count:
        log_action(
            "accounts.token.revoke_all",
            actor=actor,
            actor_username=None if actor else "system",
            obj=user,
            organisation=user.organisation,
            data={"count": count, "reason": REASONS.get(reason, reason)},
        )
    return count


def _refusal(token: ApiToken | None, now) -> str | None:
    if token is None:
        return "令牌无效，请重新获取。"
    user = token.user
    if token.revoked_at is not None:
        return f"令牌已吊销（{REASONS.get(token.revoked_reason, token.revoked_reason)}），请重新获取。"
    if token.expires_at <= now:
        return "令牌已过期，请重新获取。"
    if (token.last_used_at or token.created_at) <= now - idle_limit():
        return f"令牌超过 {settings.PORTAL_TOKEN_IDLE_HOURS} 小时未使用，已失效，请重新获取。"
    if not user.is_active:
        return "账户已停用。"
    if user.locked_until and user.locked_until > now:
        return "账户已被锁定。"
    if user.password_changed_at and token.created_at < user.password_changed_at:
        return "密码已修改，此前签发的令牌已失效，请重新获取。"
    return None


def authenticate_key(key: str) -> ApiToken:
    now = timezone.now()
    token = ApiToken.objects.select_related("user__organisation").filter(key_hash=_digest(key)).first()
    refusal = _refusal(token, now)
    if refusal:
        raise AuthenticationFailed(refusal)
    if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ExpiringTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` (or `Bearer <key>`). Listed first, so an API call without valid
    credentials answers 401 with WWW-Authenticate, not 403."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Authorization 请求头格式应为：Token <令牌>。")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("令牌无效，请重新获取。")
        token = authenticate_key(key)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'

"""Sign-in with lockout, as 等保 2.0 asks: every attempt, failure and lockout is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.utils import timezone

from portal.audit.services import log_action
from portal.orgs.models import User

SESSION_LAST_ACTIVITY = "portal_last_activity"


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str = ""


def lockout_message(locked_until) -> str:
    local = timezone.localtime(locked_until)
    return (
        f"该账户因连续 {settings.PORTAL_LOGIN_MAX_FAILURES} 次登录失败已被锁定，"
        f"请于 {local:%H:%M} 后重试，或联系管理员解锁。"
    )


def failure_message() -> str:
    return (
        f"用户名或密码错误。连续失败 {settings.PORTAL_LOGIN_MAX_FAILURES} 次后账户将被锁定 "
        f"{settings.PORTAL_LOGIN_LOCKOUT_MINUTES} 分钟。"
    )


def check_credentials(request, *, username: str, password: str, channel: str = "web") -> SignInResult:
    """Authenticate, refusing locked accounts and locking after too many failures."""
    now = timezone.now()
    account = User.objects.filter(username=username).first()
    if account is not None and account.locked_until and account.locked_until > now:
        log_action(
            "accounts.login.refused_locked",
            actor_username=username,
            obj=account,
            organisation=account.organisation,
            data={"channel": channel, "locked_until": account.locked_until},
        )
        return SignInResult(None, lockout_message(account.locked_until))

    user = authenticate(request, username=username, password=password)
    if user is not None:
        if user.failed_login_count or user.locked_until:
            user.failed_login_count = 0
            user.locked_until = None
            user.save(update_fields=["failed_login_count", "locked_until"])
        return SignInResult(user)

    log_action(
        "accounts.login.failure",
        actor_username=username,
        obj=account,
        organisation=account.organisation if account else None,
        data={"channel": channel, "known_account": account is not None},
    )
    if account is None:
        return SignInResult(None, failure_message())
    with transaction.atomic():
        account = User.objects.select_for_update(of=("self",)).get(pk=account.pk)
        account.failed_login_count += 1
        if account.failed_login_count >= settings.PORTAL_LOGIN_MAX_FAILURES:
            account.locked_until = now + timedelta(minutes=settings.PORTAL_LOGIN_LOCKOUT_MINUTES)
            account.failed_login_count = 0
            account.save(update_fields=["failed_login_count", "locked_until"])
            from portal.accounts.tokens import revoke_all

            revoke_all(account, reason="locked")
            log_action(
                "accounts.login.locked",
                actor_username=username,
                obj=account,
                organisation=account.organisation,
                data={
                    "channel": channel,
                    "locked_until": account.locked_until,
                    "failures": settings.PORTAL_LOGIN_MAX_FAILURES,
                },
            )
            return SignInResult(None, lockout_message(account.locked_until))
        account.save(update_fields=["failed_login_count"])
    return SignInResult(None, failure_message())


def sign_in(request, user: User) -> None:
    """Start a session: Django's login() issues a new session key (no session fixation)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_LAST_ACTIVITY] = int(timezone.now().timestamp())
    log_action("accounts.login.success", actor=user, obj=user, data={"channel": "web"})


def sign_out(request, *, reason: str = "accounts.logout") -> None:
    user = request.user
    if user.is_authenticated:
        log_action(reason, actor=user, obj=user)
    logout(request)


def clear_expired_sessions() -> int:
    """Delete sessions past their expiry, and API tokens ended more than 30 days ago (run nightly by
    Celery beat); returns how many sessions."""
    from django.contrib.sessions.models import Session

    from portal.accounts.models import ApiToken

    now = timezone.now()
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    ApiToken.objects.filter(expires_at__lt=now - timedelta(days=30)).delete()
    ApiToken.objects.filter(revoked_at__lt=now - timedelta(days=30)).delete()
    return deleted

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from portal.accounts.services import SESSION_LAST_ACTIVITY, sign_out


class IdleTimeoutMiddleware:
    """Ends a session idle for longer than PORTAL_IDLE_TIMEOUT_MINUTES, and audits it.

    Done here rather than through the cookie's age so that the logout is recorded with the
    user's name; an expired cookie would just vanish. Token-authenticated API calls carry no
    session and are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_LAST_ACTIVITY)
            if last is not None and now - int(last) > settings.PORTAL_IDLE_TIMEOUT_MINUTES * 60:
                sign_out(request, reason="accounts.session.idle_timeout")
                messages.warning(
                    request,
                    f"您已超过 {settings.PORTAL_IDLE_TIMEOUT_MINUTES} 分钟未操作，"
                    "为保障账户安全已自动退出，请重新登录。",
                )
                if request.method == "GET" and not request.path.startswith("/api/"):
                    return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
            else:
                request.session[SESSION_LAST_ACTIVITY] = now
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """An account still on an administrator-issued initial password may only change it."""

    ALLOWED = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:password_change")
        return self.get_response(request)

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal.accounts import tokens
from portal.accounts.forms import PortalPasswordChangeForm, SignInForm
from portal.accounts.models import ApiToken
from portal.accounts.services import check_credentials, sign_in, sign_out
from portal.audit.services import log_action


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = check_credentials(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if result.user is not None:
            sign_in(request, result.user)
            return redirect(_safe_next(request) or "core:dashboard")
        form.add_error(None, result.error)
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request):
    sign_out(request)
    messages.success(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
@sensitive_post_parameters()
def password_change_view(request):
    form = PortalPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password_changed_at", "must_change_password"])
        update_session_auth_hash(request, user)
        log_action("accounts.password.change", actor=user, obj=user)
        tokens.revoke_all(user, actor=user, reason="password")
        messages.success(request, "密码已修改。")
        return redirect("core:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def token_list_view(request):
    """The signed-in user's live API tokens, each revocable; a token's key is never shown again."""
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": tokens.live_tokens(request.user),
            "idle_hours": settings.PORTAL_TOKEN_IDLE_HOURS,
            "max_days": settings.PORTAL_TOKEN_MAX_DAYS,
        },
    )


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke(token, actor=request.user)
    messages.success(request, f"令牌 {token.prefix}… 已吊销。")
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke_all_view(request):
    count = tokens.revoke_all(request.user, actor=request.user, reason="user")
    messages.success(request, f"已吊销 {count} 个令牌。")
    return redirect("accounts:tokens")

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.core.dashboard import panels_for


@login_required
def dashboard_view(request):
    user = request.user
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": panels_for(user),
            "role_labels": user.role_labels(),
            "organisation": user.organisation,
        },
    )


@never_cache
def health_view(request):
    """The container health check: the process answers, and so do the database and (when
    configured) Redis. 503 when either is down, so the orchestrator stops routing to this process;
    the body names which, never how it is configured."""
    checks = {"database": _database_state(), "redis": _redis_state()}
    healthy = all(state in ("ok", "not_configured") for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 — any failure of the database is "down", whatever its type
        return "down"
    return "ok"


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not_configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.RedisError, OSError, ValueError):
        return "down"
    return "ok"

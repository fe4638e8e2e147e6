from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.core.dashboard import panels_for


@login_required
def dashboard_view(request):
    user = request.user
    return render(request, "core/dashboard.html", {
        "panels": panels_for(user),
        "role_labels": user.role_labels(),
        "organisation": user.organisation,
    })


@never_cache
def health_view(request):
    """Liveness for the container health check: the process answers and the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

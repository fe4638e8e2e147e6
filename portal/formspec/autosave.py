"""The autosave endpoint's shape, shared by every document filled with a form definition (applications,
a school's 发展规划): a 401 in JSON when the session has expired (the page keeps the input and asks the
user to sign in in another tab), the lock version the client started from, 409 on a conflict, and the
draft's field errors after a save."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils import timezone

from portal.core.boundary import parse_id
from portal.core.exceptions import Conflict, ServiceError


def json_login_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(
                {"error": "登录已过期，您的修改已暂存在本机。请在新窗口重新登录后回到本页，内容会自动保存。"},
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapped


def autosave_answer(request, save, errors_of) -> JsonResponse:
    """`save(expected_version)` stores the posted draft and returns it; `errors_of(draft)` its form errors."""
    if "_lock_version" not in request.POST:
        return JsonResponse({"error": "请求缺少版本号。"}, status=400)
    expected = parse_id(request.POST["_lock_version"])
    if expected is None:
        return JsonResponse({"error": "版本号无效，请刷新页面后重试。"}, status=400)
    try:
        draft = save(expected)
    except Conflict as conflict:
        return JsonResponse(
            {"error": conflict.message, "current_version": conflict.current_version, "updated_by": conflict.updated_by},
            status=409,
        )
    except ServiceError as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    return JsonResponse(
        {
            "lock_version": draft.lock_version,
            "saved_at": timezone.localtime(draft.updated_at).strftime("%H:%M"),
            "errors": errors_of(draft),
        }
    )

"""Error pages: HTML for people, JSON for the API and page scripts (see boundary.wants_json)."""

from django.http import JsonResponse
from django.shortcuts import render

from portal.core.boundary import wants_json


def _answer(request, template: str, status: int, message: str, reason: str = ""):
    if wants_json(request):
        return JsonResponse({"detail": reason or message, "error": reason or message}, status=status)
    return render(request, template, {"reason": reason}, status=status)


def _reason(exception) -> str:
    """A refusal's own explanation, when a view gave one in Chinese (never an internal message)."""
    text = str(exception or "")
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


def bad_request(request, exception=None):
    return _answer(request, "errors/400.html", 400, "请求格式有误。")


def permission_denied(request, exception=None):
    return _answer(request, "errors/403.html", 403, "您的角色无权执行此操作。", _reason(exception))


def not_found(request, exception=None):
    return _answer(request, "errors/404.html", 404, "对象不存在，或不在您的管辖范围内。")


def server_error(request):
    return _answer(request, "errors/500.html", 500, "服务器内部错误，已记录，请稍后重试。")

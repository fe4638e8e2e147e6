"""Error pages: HTML for people, JSON for the API and page scripts (see boundary.wants_json)."""
from django.http import JsonResponse
from django.shortcuts import render

from portal.core.boundary import wants_json


def _answer(request, template: str, status: int, message: str):
    if wants_json(request):
        return JsonResponse({"detail": message, "error": message}, status=status)
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _answer(request, "errors/400.html", 400, "请求格式有误。")


def permission_denied(request, exception=None):
    return _answer(request, "errors/403.html", 403, "您的角色无权执行此操作。")


def not_found(request, exception=None):
    return _answer(request, "errors/404.html", 404, "对象不存在，或不在您的管辖范围内。")


def server_error(request):
    return _answer(request, "errors/500.html", 500, "服务器内部错误，已记录，请稍后重试。")

"""What every request must satisfy before any view sees it.

NUL bytes are refused wherever text arrives — in the path, the query string and form fields (API
bodies are checked by the API's parsers, portal/api/parsers.py). PostgreSQL cannot store them in
text columns, so they would otherwise end as a 500 deep inside a view, and they hide text from a
reader. A body larger than PORTAL_MAX_REQUEST_BYTES is refused from its Content-Length, before a
byte of it is read."""
from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

NUL = "\x00"


def has_nul(value) -> bool:
    """True if NUL appears in a string anywhere inside value (keys of mappings included)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False


def nul_field(query_dict) -> str | None:
    """The first field of a QueryDict whose name or a value carries NUL."""
    for key, values in query_dict.lists():
        if has_nul(key) or any(has_nul(v) for v in values):
            return key.replace(NUL, "\\0")
    return None


def nul_message(field: str | None) -> str:
    if field is None:
        return "请求地址含有不可见的控制字符（NUL，\\0），无法处理。请检查地址后重试。"
    return f"“{field}”含有不可见的控制字符（NUL，\\0），无法处理。请删除该字符（多见于从其他软件粘贴的文字）后重试。"


def wants_json(request) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return (request.path_info.startswith("/api/") or "application/json" in accept
            or request.META.get("HTTP_X_REQUESTED_WITH") in ("XMLHttpRequest", "fetch"))


def refuse(request, message: str, status: int = 400):
    if wants_json(request):
        # `detail` is the API's key, `error` the one the page scripts read.
        return JsonResponse({"detail": message, "error": message}, status=status)
    return render(request, "errors/400.html", {"message": message, "status": status}, status=status)


def max_request_bytes() -> int:
    return settings.PORTAL_MAX_REQUEST_BYTES


class BoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.check(request)
        return refusal if refusal is not None else self.get_response(request)

    def check(self, request):
        if NUL in request.path_info or NUL in request.META.get("QUERY_STRING", ""):
            return refuse(request, nul_message(None))
        if "%00" in request.META.get("QUERY_STRING", "") and nul_field(request.GET) is not None:
            return refuse(request, nul_message(nul_field(request.GET)))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse(request, "请求头 Content-Length 无效。")
        limit = max_request_bytes()
        if length > limit:
            return refuse(request, f"提交的内容为 {length / 1048576:.1f} MB，超过单次提交 {limit // 1048576} MB 的上限。"
                                   f"请压缩或拆分附件后重试。", status=413)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                 "multipart/form-data"):
            field = nul_field(request.POST)
            if field is not None:
                return refuse(request, nul_message(field))
        return None

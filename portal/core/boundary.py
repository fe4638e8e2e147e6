"""What every request must satisfy before any view sees it.

NUL bytes are refused wherever text arrives — in the path, the query string and form fields (API
bodies are checked by the API's parsers, portal/api/parsers.py). PostgreSQL cannot store them in
text columns, so they would otherwise end as a 500 deep inside a view, and they hide text from a
reader. A body larger than PORTAL_MAX_REQUEST_BYTES is refused from its Content-Length, before a
byte of it is read."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

NUL = "\x00"
# No form, definition or API body of the portal nests deeper than about ten levels; 64 leaves room and
# stays far below Python's recursion limit (json.loads and every walk over the value recurse).
MAX_JSON_DEPTH = 64
# An id, a version or a count arrives as text: at most 18 ASCII digits (a PostgreSQL bigint holds them;
# int() refuses text of more than 4,300 digits, and "²".isdigit() is true but int("²") fails).
MAX_ID_DIGITS = 18
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def has_nul(value) -> bool:
    """True if NUL appears in a string anywhere inside value (keys of mappings included). A loop, not
    recursion: a value is walked however deep it nests."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without parsing it (brackets inside
    strings do not count)."""
    depth = deepest = 0
    for bracket in _NOT_BRACKETS.sub("", _STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class BadJSON(ValueError):
    """A JSON text that cannot be read; its message says why, in Chinese."""


def load_json(data, *, what: str = "请求内容", kind: str = "JSON", **options):
    """The value of a JSON text (bytes are read as UTF-8), refused with BadJSON — never RecursionError —
    when it is not UTF-8, not JSON, or nests deeper than MAX_JSON_DEPTH. `kind` names what the text
    should have been in the message (a file reader says “UTF-8 JSON”)."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else str(data)
    except UnicodeDecodeError:
        raise BadJSON(f"{what}不是有效的 {kind}：不是 UTF-8 编码的文本。")
    if json_depth(text) > MAX_JSON_DEPTH:
        raise BadJSON(f"{what}的数组或对象嵌套超过 {MAX_JSON_DEPTH} 层，无法处理。")
    try:
        return json.loads(text, **options)
    except json.JSONDecodeError as error:
        raise BadJSON(f"{what}不是有效的 {kind}（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）。")
    except RecursionError:
        raise BadJSON(f"{what}的数组或对象嵌套过深，无法处理。")


def parse_id(raw, default=None):
    """A whole number ≥ 0 sent as text (an id, a version, a count), or `default`: ASCII digits only, at
    most MAX_ID_DIGITS of them, surrounding spaces ignored. The one reading of such numbers from requests."""
    if isinstance(raw, bool):
        return default
    if isinstance(raw, int):
        return raw if 0 <= raw < 10**MAX_ID_DIGITS else default
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return default
    return int(text)


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
    return (
        request.path_info.startswith("/api/")
        or "application/json" in accept
        or request.META.get("HTTP_X_REQUESTED_WITH") in ("XMLHttpRequest", "fetch")
    )


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
            return refuse(
                request,
                f"提交的内容为 {length / 1048576:.1f} MB，超过单次提交 {limit // 1048576} MB 的上限。"
                f"请压缩或拆分附件后重试。",
                status=413,
            )
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            field = nul_field(request.POST)
            if field is not None:
                return refuse(request, nul_message(field))
        return None

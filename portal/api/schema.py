"""What drf-spectacular needs to describe the portal's own API pieces."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes

# Nested records whose shape the README describes; the schema states their outer shape.
OBJECT = OpenApiTypes.OBJECT
OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": {}}}


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.accounts.tokens.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "以 POST /api/v1/auth/token/ 换取令牌，请求头写作 `Token <令牌>`。"
            "令牌闲置超时或签发超过期限即失效，修改密码、锁定或停用账户时全部失效。",
        }


# A stored file leaves as PDF or image when a browser may show it, otherwise as a plain download
# (portal/core/files.py, path_response).
FILE_RESPONSES = {
    (200, media): bytes for media in ("application/octet-stream", "application/pdf", "image/png", "image/jpeg")
}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "原因（中文），字段错误时逐项说明"},
        "errors": {"type": "object", "description": "逐字段的错误", "additionalProperties": True},
    },
    "required": ["detail"],
}

# The one 409 body (portal.api.validation.conflict_body): what to reload to, and who saved since.
CONFLICT_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "原因（中文）"},
        "current_version": {"type": "integer", "description": "当前版本号（重新载入后以此版本保存）"},
        "updated_by": {"type": "string", "description": "最后保存人"},
        "updated_at": {"type": "string", "format": "date-time", "nullable": True, "description": "最后保存时间"},
    },
    "required": ["detail", "current_version", "updated_by", "updated_at"],
}


def error_responses(result, generator, request, public):
    """Every operation documents the refusals it can give, all in one shape (`Error`): 400 (a field,
    NUL bytes), 401 (no or a dead token), 403 (the role may not), 404 (absent or out of scope — the
    two are not told apart), 413 on bodies, 409 where a draft's version is checked, 429 on sign-in."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"], schemas["Conflict"] = ERROR_SCHEMA, CONFLICT_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})

            def add(code: str, text: str, responses=responses) -> None:
                responses.setdefault(code, {"description": text, "content": {"application/json": {"schema": ref}}})

            add("400", "请求有误：字段不合要求、不是 JSON 对象或含有 NUL 字符")
            add("401", "未认证：缺少令牌，或令牌无效、已过期、已吊销")
            add("403", "当前角色无权执行此操作")
            add("404", "对象不存在，或不在调用者的机构范围内")
            if method in ("post", "put", "patch"):
                add("413", "请求体超过上限（PORTAL_MAX_REQUEST_MB）")
            if method in ("patch", "put") or path.endswith("/submit/") or "409" in responses:
                # One 409 body everywhere, also where a view declared its own (portal.api.validation.conflict_body).
                responses["409"] = {
                    "description": "版本冲突：他人已保存了更新的版本",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conflict"}}},
                }
            if path.endswith("/auth/token/"):
                add("429", "请求过于频繁")
    return result

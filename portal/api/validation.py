"""The API's one error contract. Every request body goes through a serializer; a refusal — of a body,
a query or a service's rule — is a 400 whose `detail` is one Chinese sentence (naming the fields at
fault by their Chinese labels) with `errors` per field beside it; a stale write is a 409 whose body
says the current revision, who saved it and when. Views call services and let refusals rise here."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.core.exceptions import Conflict, ServiceError


class BodyRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message: str, errors: dict):
        super().__init__(message)
        self.errors = errors


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, (list, tuple)):
        return [m for v in value for m in _flatten(v)]
    return [str(value)]


def summary(serializer: serializers.Serializer, errors: dict) -> str:
    parts = []
    for name, problems in errors.items():
        field = serializer.fields.get(name)
        label = field.label if field is not None and field.label else name
        text = "；".join(dict.fromkeys(_flatten(problems)))
        parts.append(text if name in ("non_field_errors",) else f"“{label}”（{name}）：{text}")
    return "；".join(parts)


def body(serializer_class: type[serializers.Serializer], request, **kwargs) -> dict:
    """The validated body, or BodyRefused. A body that is not a JSON object is refused as such."""
    data = request.data
    if not hasattr(data, "get"):
        raise BodyRefused(
            '请求体须为 JSON 对象（{…}），例如 {"字段": 值}。', {"non_field_errors": ["请求体须为 JSON 对象。"]}
        )
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        errors = {k: _flatten(v) for k, v in serializer.errors.items()}
        raise BodyRefused(summary(serializer, serializer.errors), errors)
    return serializer.validated_data


def conflict_body(conflict: Conflict) -> dict:
    """The one 409 body: what the client must reload to, and who saved since it loaded."""
    updated_at = conflict.updated_at
    return {
        "detail": conflict.message,
        "current_version": conflict.current_version,
        "updated_by": conflict.updated_by or "",
        "updated_at": updated_at.isoformat() if hasattr(updated_at, "isoformat") else updated_at,
    }


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response(conflict_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ServiceError):
        return Response({"detail": exc.message, "errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionError):
        # A service's own permission check (it raises the built-in): the API's 403, not a 500.
        exc = PermissionDenied("您没有执行此操作的权限。")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, BodyRefused):
        response.data = {"detail": str(exc.detail), "errors": exc.errors}
    elif response is not None and _query_refused(exc, context):
        # A list's filter (django-filter) refused a query parameter: the same shape as a refused body.
        errors = {name: _flatten(problems) for name, problems in exc.detail.items()}
        detail = "；".join(
            f"查询参数“{name}”：{'；'.join(dict.fromkeys(messages))}" for name, messages in errors.items()
        )
        response.data = {"detail": detail, "errors": errors}
    return response


def _query_refused(exc, context) -> bool:
    request = context.get("request")
    return (
        isinstance(exc, serializers.ValidationError)
        and isinstance(exc.detail, dict)
        and request is not None
        and request.method == "GET"
    )

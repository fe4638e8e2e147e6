"""The request that is being served, so that log_action can record who acted and from where
without every service passing the request down."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from portal.core.clients import client_ip


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def set_from_request(request):
    return _current.set(RequestContext(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]))


def reset(token) -> None:
    _current.reset(token)


def current() -> RequestContext | None:
    return _current.get()

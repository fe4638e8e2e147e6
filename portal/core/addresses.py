"""The portal's own address, for links that leave the page (printed verification links, e-mails)."""

from django.conf import settings

# `make run`'s address when nothing else is known (a management command, a worker without a request).
FALLBACK = "http://127.0.0.1:8000"


def portal_base_url(requested: str = "") -> str:
    """PORTAL_BASE_URL when set, else the address the request came in on, else the development address."""
    return (settings.PORTAL_BASE_URL or requested or FALLBACK).rstrip("/")


def request_base_url(request) -> str:
    """The scheme and host a request came in on (the host is checked against ALLOWED_HOSTS)."""
    return portal_base_url(request.build_absolute_uri("/"))

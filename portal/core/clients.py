"""Who is on the other end of a request.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as it was
written by our own reverse proxies (PORTAL_TRUSTED_PROXIES, addresses or networks). Reading the
header from the right, every hop added by a trusted proxy is skipped; the first address that is
not one of ours is the client. With no trusted proxy configured the header is ignored entirely:
the peer address is the client."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    networks = _networks(tuple(settings.PORTAL_TRUSTED_PROXIES))
    if peer is None:
        return None
    if not _trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            break  # a garbled hop: nothing left of it can be believed
        client = address
        if not _trusted(address, networks):
            break
    return str(client)

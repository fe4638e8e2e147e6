"""The main menu: each entry names the permission that shows it, so the menu follows the same
rules as the views behind it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None = None
    order: int = 50


_ENTRIES: list[NavEntry] = [NavEntry("工作台", "core:dashboard", order=0)]


def register(entry: NavEntry) -> None:
    _ENTRIES.append(entry)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if entry.permission and not user.has_perm(entry.permission):
            continue
        url = reverse(entry.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items

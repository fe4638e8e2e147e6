"""What waits for a user, per role. Apps register panel providers; the dashboard shows them.

A provider is a function (user) -> Panel | None, registered for the roles it serves. Later
issues (calls, reviews, expert scoring, projects) add their own providers here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PanelItem:
    text: str
    url: str = ""
    note: str = ""  # a deadline, a count, a state
    overdue: bool = False


@dataclass
class Panel:
    title: str
    order: int = 50
    count: int | None = None
    items: list[PanelItem] = field(default_factory=list)
    empty_text: str = "当前没有待办事项。"
    link_url: str = ""
    link_text: str = ""
    tone: str = "primary"  # primary, warning, danger, secondary


Provider = Callable[[object], "Panel | None"]
_PROVIDERS: list[tuple[frozenset[str], Provider]] = []


def register(*roles: str):
    def decorator(provider: Provider) -> Provider:
        _PROVIDERS.append((frozenset(roles), provider))
        return provider

    return decorator


def panels_for(user) -> list[Panel]:
    panels = []
    for roles, provider in _PROVIDERS:
        if user.role_set & roles:
            panel = provider(user)
            if panel is not None:
                panels.append(panel)
    return sorted(panels, key=lambda p: p.order)

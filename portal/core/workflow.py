"""Workflows as data. Each model's status changes are a table — action → the statuses it may start from,
the status it leads to and what the user is told otherwise — written beside the statuses, so that they
can be printed and grepped; every service moves a status through `move` instead of comparing statuses
by hand."""

from __future__ import annotations

from typing import NamedTuple

from portal.core.exceptions import ServiceError


class Step(NamedTuple):
    sources: frozenset[str]
    target: str = ""  # "": the status stays, or the service chooses it among the action's own outcomes
    refusal: str = ""  # said when the status is not a source; by default the current status is named


Transitions = dict[str, Step]


def move(transitions: Transitions, action: str, current: str, label: str = "") -> str:
    """The status `action` leads to from `current`, or a ServiceError saying why it may not."""
    step = Step(*transitions[action])
    if current not in step.sources:
        raise ServiceError(step.refusal or f"当前状态为“{label or current}”，不能进行此操作。")
    return step.target or current


def allows(transitions: Transitions, action: str, current: str) -> bool:
    return current in Step(*transitions[action]).sources

"""Who reviewed an application is confidential: applicants, and the county and city levels below
the province that organises the expert review, never learn which experts scored it or who led the
panel. They read "专家评审" in the timeline and "专家组" on the panel's signature line; the province,
the ministry and the platform's administrators see the names. One rule, used by the pages, the API
and the printed form."""

from __future__ import annotations

from portal.orgs.choices import Role
from portal.programmes.choices import ReviewLevel

REVEALED_TO = frozenset({Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN})
EXPERTS = "专家评审"
PANEL = "专家组"


def sees_reviewers(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role_set & REVEALED_TO)


def is_experts_work(action: str, data: dict) -> bool:
    """An audit entry made by an expert or about the panel's work on the application."""
    return action.startswith("experts.") or (data or {}).get("level") == ReviewLevel.EXPERT


def signer_for(opinion, user) -> str:
    """The name on an opinion's signature line as `user` may read it."""
    if opinion is None:
        return ""
    if opinion.level == ReviewLevel.EXPERT and not sees_reviewers(user):
        return PANEL
    return opinion.signer_name

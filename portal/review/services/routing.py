"""Moving an application into a level of its chain, and telling that level's reviewers."""

from __future__ import annotations

from django.urls import reverse

from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.programmes.choices import ReviewLevel
from portal.programmes.models import Application
from portal.review import chain, selectors


def first_stage(application: Application) -> str:
    stages = chain.stages_of(application)
    return stages[0] if stages else ""


def enter(application: Application, level: str, now) -> None:
    """Sets the stage (the caller saves)."""
    application.stage = level
    application.stage_since = now


def announce(applications: list[Application], level: str) -> None:
    """One notification per reviewer of each responsible organisation, however many arrived."""
    by_org: dict[int, tuple] = {}
    for application in applications:
        org = selectors.responsible_org(application.applicant, level)
        by_org.setdefault(org.pk, (org, []))[1].append(application)
    for org, items in by_org.values():
        names = "、".join(a.applicant.name for a in items[:5]) + ("等" if len(items) > 5 else "")
        notify(
            selectors.users_acting_at(org, level),
            kind=Kind.TO_REVIEW,
            title=f"{items[0].call.title}：{len(items)} 份申请待{ReviewLevel(level).label}审核",
            body=names,
            url=reverse("review:queue"),
        )

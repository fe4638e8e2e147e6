"""Deadline reminders: before each step's deadline, whoever must still act is told (in the
notification centre, and by e-mail if they chose it). Run daily by Celery beat; running twice
sends nothing twice (each reminder has a dedupe key)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.orgs.choices import Role
from portal.orgs.models import User
from portal.programmes.choices import EDITABLE, Status, Step
from portal.programmes.models import Application, CallDeadline
from portal.review import chain, selectors
from portal.review.models import ListStatus, RecommendationList

# Reminders go out when a deadline is this many days away (at most), once per window.
WINDOWS = (3, 1)


def _window(days_left: float) -> int | None:
    fitting = [w for w in WINDOWS if days_left <= w]
    return min(fitting) if fitting else None


def _who_must_act(deadline: CallDeadline):
    call = deadline.call
    if deadline.step == Step.SUBMIT:
        orgs = Application.objects.filter(call=call, status__in=EDITABLE).values("applicant_id")
        return User.objects.filter(
            organisation_id__in=orgs,
            is_active=True,
            role_grants__role__in=[Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT],
        ).distinct(), reverse("programmes:application_list")
    levels = [
        level for level, rule in chain.LEVELS.items() if rule.step == deadline.step and level in call.review_chain
    ]
    users = User.objects.none()
    for level in levels:
        waiting = Application.objects.filter(call=call, status=Status.SUBMITTED, stage=level).select_related(
            "applicant"
        )
        orgs = {}
        for application in waiting:
            org = selectors.responsible_org(application.applicant, level)
            orgs[org.pk] = org
        for org in orgs.values():
            sent = RecommendationList.objects.filter(
                call=call, organisation=org, level=level, status__in=[ListStatus.SENT, ListStatus.PUBLISHED]
            ).exists()
            if not sent:
                users = users | selectors.users_acting_at(org, level)
    return users.distinct(), reverse("review:queue")


def send_deadline_reminders(now=None) -> int:
    now = now or timezone.now()
    horizon = now + timedelta(days=max(WINDOWS))
    sent = 0
    for deadline in CallDeadline.objects.filter(
        due_at__gt=now, due_at__lte=horizon, call__is_published=True
    ).select_related("call"):
        window = _window((deadline.due_at - now).total_seconds() / 86400)
        if window is None:
            continue
        users, url = _who_must_act(deadline)
        days = max(1, math.ceil((deadline.due_at - now).total_seconds() / 86400))
        due = timezone.localtime(deadline.due_at)
        sent += len(
            notify(
                list(users),
                kind=Kind.DEADLINE,
                url=url,
                title=f"{deadline.call.title}：{deadline.get_step_display()}将于{days}天内截止",
                body=f"截止时间：{due:%Y年%m月%d日 %H:%M}。{deadline.note}",
                # Keyed by call, step and date, not the row: editing a call rewrites its deadline rows.
                dedupe_key=f"deadline:{deadline.call_id}:{deadline.step}:{due:%Y%m%d%H%M}:{window}",
            )
        )
    return sent

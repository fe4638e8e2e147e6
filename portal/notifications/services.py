"""Sending notifications: one row per user in the centre, and an e-mail where the user wants one."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core.addresses import portal_base_url
from portal.notifications.models import EMAIL_DEFAULT, EmailPreference, Kind, Notification
from portal.notifications.tasks import send_notification_email

_email_muted: ContextVar[bool] = ContextVar("notifications_email_muted", default=False)


@contextmanager
def email_muted():
    """Notifications written inside are kept in the centre but not e-mailed (demo data, imports)."""
    token = _email_muted.set(True)
    try:
        yield
    finally:
        _email_muted.reset(token)


def wants_email(user, kind: str, choices: dict | None = None) -> bool:
    choices = (
        choices
        if choices is not None
        else dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    )
    return bool(user.email) and choices.get(kind, EMAIL_DEFAULT[kind])


def notify(users, *, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = "") -> list[Notification]:
    """Notifies each user once; with a dedupe key, a user already notified under it is skipped."""
    sent = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        key = f"{dedupe_key}:{user.pk}"[:120] if dedupe_key else None
        if key and Notification.objects.filter(dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user, kind=kind, title=title[:200], body=body, url=url, dedupe_key=key
                )
        except IntegrityError:  # the same reminder written by a concurrent run
            continue
        if not _email_muted.get() and wants_email(user, kind):
            link = f"{portal_base_url()}{url}" if url else ""
            send_notification_email.delay(
                f"【{Kind(kind).label}】{title}", "\n\n".join(p for p in [body, link] if p), user.email
            )
            note.emailed = True
            note.save(update_fields=["emailed"])
        sent.append(note)
    return sent


def mark_read(user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def set_email_choices(user, choices: dict[str, bool]) -> None:
    for kind in Kind.values:
        EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": bool(choices.get(kind))})

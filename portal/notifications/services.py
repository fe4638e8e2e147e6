"""Sending notifications: one row per user in the centre, and an e-mail where the user wants one."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.notifications.models import EMAIL_DEFAULT, EmailPreference, Kind, Notification


def wants_email(user, kind: str, choices: dict | None = None) -> bool:
    choices = choices if choices is not None else dict(
        EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
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
                note = Notification.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url,
                                                   dedupe_key=key)
        except IntegrityError:          # the same reminder written by a concurrent run
            continue
        if wants_email(user, kind):
            link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url else ""
            send_mail(f"【{Kind(kind).label}】{title}", "\n\n".join(p for p in [body, link] if p),
                      None, [user.email], fail_silently=True)
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

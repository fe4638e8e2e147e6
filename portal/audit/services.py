"""Writing the audit log. Every state change and every export calls log_action."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from portal.audit import context
from portal.audit.models import AuditEntry


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def build_entry(
    action: str,
    *,
    actor=None,
    obj=None,
    changes: dict | None = None,
    data: dict | None = None,
    actor_username: str = "",
    organisation=None,
    ip: str | None = None,
) -> AuditEntry:
    """An unsaved entry; who/where default to the request being served.

    `organisation` places an entry without a signed-in actor (a failed login of a known account)
    in that organisation's subtree, so that its auditors see it."""
    ctx = context.current()
    signed_in = actor is not None and actor.is_authenticated
    org = actor.organisation if signed_in else organisation
    return AuditEntry(
        actor=actor if signed_in else None,
        actor_username=(actor.get_username() if signed_in else actor_username or "system")[:150],
        actor_name=(actor.real_name if signed_in else "")[:100],
        actor_org_name=(org.name if org else "")[:200],
        org_path=org.path if org else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        ip_address=ip or (ctx.ip if ctx else None),
        user_agent=ctx.user_agent if ctx else "",
        changes=_jsonable(changes or {}),
        data=_jsonable(data or {}),
    )


def log_action(action: str, **kwargs) -> AuditEntry:
    """Append one row to the audit log (arguments as build_entry)."""
    entry = build_entry(action, **kwargs)
    entry.save()
    return entry


def log_actions_bulk(entries: list[AuditEntry]) -> None:
    """Append many rows at once (imports write thousands)."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)

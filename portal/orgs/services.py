"""Writes to the organisation tree and the user accounts.

Organisations and accounts are created and updated through the import service
(portal/orgs/importing), which the UI, the management command and the demo loader all use, so
there is one checked, audited write path for them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.audit.services import diff, log_action
from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation, User


def tree_paths(*, code: str, kind: str, parent: Organisation | None) -> tuple[str, str]:
    """(path, scope_path) of an organisation placed under `parent`."""
    path = f"{parent.path if parent else '/'}{code}/"
    scope = parent.path if kind == OrgKind.CENTRE and parent is not None else path
    return path, scope


@transaction.atomic
def unlock_user(*, actor, user: User) -> None:
    """Lift a sign-in lockout before it runs out (an administrator's decision, audited)."""
    if not actor.has_perm("orgs.unlock_user"):
        raise PermissionDenied("您没有解除账户锁定的权限。")
    changes = diff(
        {"locked_until": user.locked_until, "failed_login_count": user.failed_login_count},
        {"locked_until": None, "failed_login_count": 0},
    )
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    log_action("orgs.user.unlock", actor=actor, obj=user, changes=changes)

"""Writes to the organisation tree and the user accounts."""
from __future__ import annotations

from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.audit.services import diff, log_action
from portal.orgs.choices import PARENT_KINDS, ROLE_ORG_KINDS, OrgKind, Role
from portal.orgs.models import Organisation, RoleGrant, User

ORG_FIELDS = ("name", "kind", "division_code", "region_name", "school_type", "ownership", "address", "postcode")
USER_FIELDS = ("real_name", "email", "phone", "office_phone", "job_title", "is_active")


def tree_paths(*, code: str, kind: str, parent: Organisation | None) -> tuple[str, str]:
    """(path, scope_path) of an organisation placed under `parent`."""
    path = f"{parent.path if parent else '/'}{code}/"
    scope = parent.path if kind == OrgKind.CENTRE and parent is not None else path
    return path, scope


def check_parent(*, kind: str, parent: Organisation | None) -> None:
    allowed = PARENT_KINDS[kind]
    if parent is None and allowed:
        raise ValidationError({"parent": "该类别的机构必须有上级机构。"})
    if parent is not None and parent.kind not in allowed:
        raise ValidationError({"parent": f"{OrgKind(kind).label}不能隶属于{OrgKind(parent.kind).label}。"})


@transaction.atomic
def save_organisation(*, actor, code: str, parent: Organisation | None, **fields) -> tuple[Organisation, bool]:
    """Create the organisation with this code, or update it; audited either way."""
    check_parent(kind=fields["kind"], parent=parent)
    path, scope = tree_paths(code=code, kind=fields["kind"], parent=parent)
    org = Organisation.objects.select_for_update().filter(code=code).first()
    if org is None:
        org = Organisation.objects.create(code=code, parent=parent, path=path, scope_path=scope, **fields)
        log_action("orgs.organisation.create", actor=actor, obj=org,
                   changes={k: [None, getattr(org, k)] for k in ORG_FIELDS if getattr(org, k)})
        return org, True
    if org.path != path:
        raise ValidationError({"parent": "机构的上级不能通过此操作变更。"})
    before = {k: getattr(org, k) for k in ORG_FIELDS}
    for key, value in fields.items():
        setattr(org, key, value)
    changes = diff(before, {k: getattr(org, k) for k in ORG_FIELDS})
    if changes:
        org.save(update_fields=[*changes.keys(), "updated_at"])
        log_action("orgs.organisation.update", actor=actor, obj=org, changes=changes)
    return org, False


def check_roles(*, roles: Iterable[str], organisation: Organisation | None) -> None:
    for role in roles:
        if role not in Role.values:
            raise ValidationError({"roles": f"未知角色：{role}"})
        if organisation is None or organisation.kind not in ROLE_ORG_KINDS[role]:
            kind = OrgKind(organisation.kind).label if organisation else "无机构"
            raise ValidationError({"roles": f"“{Role(role).label}”不能由{kind}的用户担任。"})


@transaction.atomic
def save_user(*, actor, username: str, organisation: Organisation, roles: Iterable[str],
              password: str | None = None, **fields) -> tuple[User, bool]:
    """Create or update an account and set its roles exactly to `roles`; audited."""
    roles = sorted(set(roles))
    check_roles(roles=roles, organisation=organisation)
    user = User.objects.select_for_update(of=("self",)).filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, organisation=organisation, **fields)
        before = {}
    else:
        before = {k: getattr(user, k) for k in USER_FIELDS}
        before["organisation"] = user.organisation.code if user.organisation else None
        before["roles"] = sorted(user.role_set)
        user.organisation = organisation
        for key, value in fields.items():
            setattr(user, key, value)
    if password:
        user.set_password(password)
        user.password_changed_at = timezone.now()
    elif created:
        user.set_unusable_password()
    user.save()
    RoleGrant.objects.filter(user=user).exclude(role__in=roles).delete()
    existing = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles if r not in existing])
    user._role_cache = None
    after = {k: getattr(user, k) for k in USER_FIELDS}
    after["organisation"] = organisation.code
    after["roles"] = roles
    changes = diff(before, after)
    if password:
        changes["password"] = ["******", "******（已重置）"] if not created else [None, "******"]
    if created or changes:
        log_action("orgs.user.create" if created else "orgs.user.update", actor=actor, obj=user, changes=changes)
    return user, created


@transaction.atomic
def unlock_user(*, actor, user: User) -> None:
    """Lift a sign-in lockout before it runs out (an administrator's decision, audited)."""
    if not actor.has_perm("orgs.unlock_user"):
        raise PermissionDenied("您没有解除账户锁定的权限。")
    changes = diff({"locked_until": user.locked_until, "failed_login_count": user.failed_login_count},
                   {"locked_until": None, "failed_login_count": 0})
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    log_action("orgs.user.unlock", actor=actor, obj=user, changes=changes)

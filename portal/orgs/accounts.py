"""Administering single accounts from the pages: create, edit (contact details, organisation,
roles), reset the password, deactivate and reactivate. Bulk changes go through the import
(portal/orgs/importing); both use the same role and field rules (importing/validate.py).

Who: provincial and system administrators (orgs.manage_user), for accounts in their scope, and
never for an account holding a role they could not grant themselves (a provincial administrator
does not reset the system administrator's password). Every change is audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from portal.accounts import tokens
from portal.audit.services import diff, log_action
from portal.core.exceptions import ServiceError
from portal.orgs import selectors
from portal.orgs.importing.validate import USERNAME_RE, grantable_roles, role_refusal, user_field_errors
from portal.orgs.models import Organisation, RoleGrant, User

CONTACT_FIELDS = ("real_name", "job_title", "phone", "office_phone", "email")


@dataclass(frozen=True)
class AccountInput:
    organisation: Organisation
    roles: list[str]
    fields: dict


def actor_grantable(actor) -> frozenset[str]:
    return grantable_roles(actor.role_set, actor.organisation.scope_path if actor.organisation else "")


def manageable_users(actor):
    """Accounts the actor may administer: in its scope (404 beyond it, through get_manageable_user)."""
    if not actor.has_perm("orgs.manage_user"):
        return User.objects.none()
    return selectors.visible_users(actor)


def get_manageable_user(actor, *, pk: int) -> User:
    from django.http import Http404

    try:
        return manageable_users(actor).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("用户不存在或不在您的管辖范围内。")


def granted_roles(user: User) -> frozenset[str]:
    """The roles granted to the account, active or not (User.role_set is empty for an inactive one)."""
    return frozenset(grant.role for grant in user.role_grants.all())


def may_manage(actor, person: User) -> bool:
    """Whether the page offers the actor the administrator's buttons for `person` (the services check
    again): someone else, in scope, holding only roles the actor could grant."""
    if not actor.has_perm("orgs.manage_user") or person.pk == actor.pk or person.organisation is None:
        return False
    return selectors.is_in_scope(actor, person.organisation) and not (granted_roles(person) - actor_grantable(actor))


def _require(actor, user: User | None = None) -> frozenset[str]:
    if not actor.has_perm("orgs.manage_user"):
        raise ServiceError("您没有管理账户的权限。")
    grantable = actor_grantable(actor)
    if user is not None:
        beyond = sorted(granted_roles(user) - grantable)
        if beyond:
            from portal.orgs.choices import Role

            raise ServiceError(
                "该账户持有您无权授予的角色（" + "、".join(Role(r).label for r in beyond) + "），请联系系统管理员。"
            )
    return grantable


def check_input(actor, data: AccountInput) -> dict[str, list[str]]:
    """Field → messages for what the actor may not set; empty when everything may be saved."""
    errors: dict[str, list[str]] = {}
    if not selectors.is_in_scope(actor, data.organisation):
        errors.setdefault("organisation", []).append(f"机构 {data.organisation.code} 不在您的管辖范围内。")
    grantable = actor_grantable(actor)
    if not data.roles:
        errors.setdefault("roles", []).append("请至少选择一个角色。")
    for role in data.roles:
        refusal = role_refusal(role, data.organisation.kind, grantable)
        if refusal:
            errors.setdefault("roles", []).append(refusal)
    for name, message in user_field_errors(data.fields):
        errors.setdefault(name, []).append(message)
    return errors


def temporary_password() -> str:
    """12 characters with an upper- and lower-case letter, a digit and a symbol, avoiding look-alikes
    (0/O, 1/l/I) because it is read out or copied by hand."""
    upper, lower, digits, symbols = "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=?"
    picks = [secrets.choice(upper), secrets.choice(lower), secrets.choice(digits), secrets.choice(symbols)]
    pool = upper + lower + digits
    picks += [secrets.choice(pool) for _ in range(8)]
    secrets.SystemRandom().shuffle(picks)
    return "".join(picks)


def _end_sessions(user: User) -> int:
    """Delete the user's live sessions (database sessions; the auth middleware also refuses an
    inactive or re-passworded user on its next request, whatever the session store)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _set_roles(user: User, roles: list[str]) -> None:
    RoleGrant.objects.filter(user=user).exclude(role__in=roles).delete()
    have = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in sorted(set(roles) - have)])
    user._role_cache = None


@transaction.atomic
def create_user(*, actor, username: str, data: AccountInput) -> tuple[User, str]:
    """A new account with a temporary password (returned once, to be handed over); the user must
    choose their own at first sign-in."""
    _require(actor)
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise ServiceError(
            "用户名只能由 3–150 位字母、数字或 _ . @ - 组成。",
            errors={"username": ["用户名只能由 3–150 位字母、数字或 _ . @ - 组成。"]},
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"用户名 {username} 已被使用。", errors={"username": [f"用户名 {username} 已被使用。"]})
    errors = check_input(actor, data)
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    password = temporary_password()
    now = timezone.now()
    user = User(
        username=username,
        organisation=data.organisation,
        must_change_password=True,
        password_changed_at=now,
        **{k: data.fields.get(k, "") for k in CONTACT_FIELDS},
    )
    user.set_password(password)
    user.save()
    _set_roles(user, data.roles)
    log_action(
        "orgs.user.create",
        actor=actor,
        obj=user,
        organisation=data.organisation,
        changes={
            "organisation": [None, data.organisation.code],
            "roles": [None, sorted(data.roles)],
            **{k: [None, data.fields[k]] for k in CONTACT_FIELDS if data.fields.get(k)},
        },
    )
    return user, password


@transaction.atomic
def update_user(*, actor, user: User, data: AccountInput) -> User:
    _require(actor, user)
    errors = check_input(actor, data)
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    before = {k: getattr(user, k) for k in CONTACT_FIELDS}
    before.update(organisation=user.organisation.code if user.organisation else None, roles=sorted(granted_roles(user)))
    after = {
        **{k: data.fields.get(k, "") for k in CONTACT_FIELDS},
        "organisation": data.organisation.code,
        "roles": sorted(data.roles),
    }
    changes = diff(before, after)
    if not changes:
        return user
    for key in CONTACT_FIELDS:
        setattr(user, key, after[key])
    user.organisation = data.organisation
    user.save(update_fields=[*CONTACT_FIELDS, "organisation"])
    _set_roles(user, data.roles)
    log_action("orgs.user.update", actor=actor, obj=user, organisation=data.organisation, changes=changes)
    return user


@transaction.atomic
def reset_password(*, actor, user: User) -> str:
    """A new temporary password: every session and API token of the user ends, and the user must
    choose a new password at the next sign-in."""
    _require(actor, user)
    if user.pk == actor.pk:
        raise ServiceError("不能在此重置自己的密码，请使用“修改密码”。")
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    tokens.revoke_all(user, actor=actor, reason="password")
    ended = _end_sessions(user)
    log_action("orgs.user.reset_password", actor=actor, obj=user, data={"sessions_ended": ended})
    return password


@transaction.atomic
def deactivate(*, actor, user: User, reason: str) -> None:
    _require(actor, user)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写停用原因。", errors={"reason": ["请填写停用原因。"]})
    if len(reason) > 200:
        raise ServiceError("停用原因不能超过 200 字。", errors={"reason": ["停用原因不能超过 200 字。"]})
    if user.pk == actor.pk:
        raise ServiceError("不能停用自己的账户。")
    if not user.is_active:
        raise ServiceError("该账户已停用。")
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens.revoke_all(user, actor=actor, reason="inactive")
    ended = _end_sessions(user)
    log_action(
        "orgs.user.deactivate",
        actor=actor,
        obj=user,
        changes={"is_active": [True, False]},
        data={"reason": reason, "sessions_ended": ended},
    )


@transaction.atomic
def reactivate(*, actor, user: User) -> None:
    _require(actor, user)
    if user.is_active:
        raise ServiceError("该账户未停用。")
    user.is_active = True
    user.save(update_fields=["is_active"])
    log_action("orgs.user.reactivate", actor=actor, obj=user, changes={"is_active": [False, True]})

"""Applying a checked import plan: one transaction, bulk writes, one audit row per change."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import transaction
from django.utils import timezone

from portal.audit.services import build_entry, diff, log_action, log_actions_bulk
from portal.orgs.importing.validate import Plan
from portal.orgs.models import Organisation, RoleGrant, User
from portal.orgs.services import tree_paths

ORG_FIELDS = ("name", "kind", "division_code", "region_name", "school_type", "ownership", "address", "postcode")
USER_FIELDS = ("real_name", "job_title", "phone", "office_phone", "email")
BATCH = 1000


class _InitialPasswordHasher(PBKDF2PasswordHasher):
    """Initial passwords are one-time secrets the importer already knows and hands out; hashing
    thousands at the full 1,000,000 PBKDF2 rounds would take minutes. They are stored with fewer
    rounds, Django re-hashes at full strength on the first login (must_update), and the user must
    change the password then anyway (must_change_password)."""

    iterations = 20_000


@dataclass
class ImportResult:
    orgs_created: int = 0
    orgs_updated: int = 0
    orgs_unchanged: int = 0
    users_created: int = 0
    users_updated: int = 0
    users_unchanged: int = 0
    created_codes: list[str] = field(default_factory=list)


@transaction.atomic
def apply_plan(plan: Plan, *, actor, source: str, force_password_change: bool = True) -> ImportResult:
    """Write the plan; the caller has checked that it has no errors."""
    assert not plan.errors, "apply_plan needs a plan without errors"
    result = ImportResult()
    audit = []
    _write_orgs(plan, actor, result, audit)
    _write_users(plan, actor, result, audit, force_password_change)
    log_actions_bulk(audit)
    log_action(
        "orgs.import.run",
        actor=actor,
        data={
            "source": source,
            "orgs_created": result.orgs_created,
            "orgs_updated": result.orgs_updated,
            "users_created": result.users_created,
            "users_updated": result.users_updated,
        },
    )
    return result


def _write_orgs(plan: Plan, actor, result: ImportResult, audit: list) -> None:
    by_code = dict(plan.known_orgs)
    pending = {p.code: p for p in plan.orgs}
    # Parents before children: repeat passes over what is left until every parent is known.
    while pending:
        ready = [p for p in pending.values() if not p.parent_code or p.parent_code in by_code]
        if not ready:
            raise RuntimeError("import plan has a parent cycle")  # excluded by validation
        new, changed = [], []
        for item in ready:
            del pending[item.code]
            if item.existing is None:
                parent = by_code.get(item.parent_code)
                path, scope = tree_paths(code=item.code, kind=item.fields["kind"], parent=parent)
                new.append(Organisation(code=item.code, parent=parent, path=path, scope_path=scope, **item.fields))
            else:
                org = item.existing
                changes = diff({k: getattr(org, k) for k in ORG_FIELDS}, {k: item.fields[k] for k in ORG_FIELDS})
                if changes:
                    for key in changes:
                        setattr(org, key, item.fields[key])
                    org.updated_at = timezone.now()
                    changed.append(org)
                    audit.append(build_entry("orgs.organisation.update", actor=actor, obj=org, changes=changes))
                else:
                    result.orgs_unchanged += 1
        created = Organisation.objects.bulk_create(new, batch_size=BATCH)
        for org in created:
            by_code[org.code] = org
            audit.append(
                build_entry(
                    "orgs.organisation.create",
                    actor=actor,
                    obj=org,
                    changes={k: [None, getattr(org, k)] for k in ORG_FIELDS if getattr(org, k)},
                )
            )
        if changed:
            Organisation.objects.bulk_update(changed, [*ORG_FIELDS, "updated_at"], batch_size=BATCH)
        result.orgs_created += len(created)
        result.orgs_updated += len(changed)
        result.created_codes += [org.code for org in created]
    plan.known_orgs = by_code


def _write_users(plan: Plan, actor, result: ImportResult, audit: list, force_password_change: bool) -> None:
    if not plan.users:
        return
    orgs = dict(plan.known_orgs)
    missing = {p.org_code for p in plan.users} - set(orgs)
    orgs.update({o.code: o for o in Organisation.objects.filter(code__in=missing)})
    hasher = _InitialPasswordHasher()
    now = timezone.now()
    new_users, changed_users, role_plan = [], [], {}
    existing_roles: dict[int, set[str]] = {}
    existing_ids = [p.existing.pk for p in plan.users if p.existing is not None]
    for grant in RoleGrant.objects.filter(user_id__in=existing_ids).values("user_id", "role"):
        existing_roles.setdefault(grant["user_id"], set()).add(grant["role"])
    for item in plan.users:
        org = orgs[item.org_code]
        if item.existing is None:
            user = User(
                username=item.username,
                organisation=org,
                password=make_password(item.password, hasher=hasher),
                password_changed_at=now,
                must_change_password=force_password_change,
                **item.fields,
            )
            new_users.append(user)
            role_plan[item.username] = (set(), set(item.roles))
            continue
        user = item.existing
        before = {k: getattr(user, k) for k in USER_FIELDS}
        before.update(organisation=user.organisation.code, roles=sorted(existing_roles.get(user.pk, set())))
        after = {**item.fields, "organisation": org.code, "roles": item.roles}
        changes = diff(before, after)
        role_plan[item.username] = (existing_roles.get(user.pk, set()), set(item.roles))
        if changes:
            for key in USER_FIELDS:
                setattr(user, key, item.fields[key])
            user.organisation = org
            changed_users.append(user)
            audit.append(build_entry("orgs.user.update", actor=actor, obj=user, changes=changes))
        else:
            result.users_unchanged += 1
    created = User.objects.bulk_create(new_users, batch_size=BATCH)
    for user in created:
        audit.append(
            build_entry(
                "orgs.user.create",
                actor=actor,
                obj=user,
                changes={
                    "organisation": [None, user.organisation.code],
                    "roles": [None, sorted(role_plan[user.username][1])],
                    **{k: [None, getattr(user, k)] for k in USER_FIELDS if getattr(user, k)},
                },
            )
        )
    if changed_users:
        User.objects.bulk_update(changed_users, [*USER_FIELDS, "organisation"], batch_size=BATCH)
    ids = {u.username: u.pk for u in [*created, *changed_users]}
    ids.update({p.existing.username: p.existing.pk for p in plan.users if p.existing is not None})
    to_add, to_remove = [], []
    for username, (old, new) in role_plan.items():
        to_add += [RoleGrant(user_id=ids[username], role=r) for r in sorted(new - old)]
        to_remove += [(ids[username], r) for r in old - new]
    for user_id, role in to_remove:
        RoleGrant.objects.filter(user_id=user_id, role=role).delete()
    RoleGrant.objects.bulk_create(to_add, batch_size=BATCH)
    result.users_created += len(created)
    result.users_updated += len(changed_users)

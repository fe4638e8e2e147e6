"""THE scoping layer. Every list, detail page, API endpoint and export takes its rows from here:
an organisation sees itself and what lies below it; an expert sees only what is assigned."""

from __future__ import annotations

import hashlib

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from portal.orgs.choices import OrgKind, Role
from portal.orgs.models import Organisation, RoleGrant, User

# Roles whose holder sees the acting organisation's whole subtree. An expert alone does not:
# the expert-review issue adds what is assigned to them.
SUBTREE_ROLES = frozenset(Role.values) - {Role.EXPERT}


def scope_paths(user) -> list[str]:
    """Tree-path prefixes the user may see; empty when it may see no subtree at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return []
    if user.role_set & SUBTREE_ROLES:
        return [user.organisation.scope_path]
    return []


def _path_q(paths: list[str], field: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__under": path})
    return query


def visible_organisations(user) -> QuerySet[Organisation]:
    paths = scope_paths(user)
    if paths:
        return Organisation.objects.filter(_path_q(paths, "path"))
    if getattr(user, "is_authenticated", False) and user.organisation_id and user.role_set:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def visible_users(user) -> QuerySet[User]:
    paths = scope_paths(user)
    if paths:
        qs = User.objects.filter(_path_q(paths, "organisation__path"))
    elif getattr(user, "is_authenticated", False) and user.role_set:
        qs = User.objects.filter(pk=user.pk)
    else:
        return User.objects.none()
    return qs.select_related("organisation").prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role"))
    )


def is_in_scope(user, organisation: Organisation) -> bool:
    paths = scope_paths(user)
    if any(organisation.path.startswith(path) for path in paths):
        return True
    return organisation.pk == getattr(user, "organisation_id", None) and bool(user.role_set)


def get_visible_organisation(user, *, code: str) -> Organisation:
    """The organisation, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return visible_organisations(user).select_related("parent").get(code=code)
    except Organisation.DoesNotExist:
        raise Http404("机构不存在或不在您的管辖范围内。")


def get_visible_user(user, *, pk: int) -> User:
    try:
        return visible_users(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("用户不存在或不在您的管辖范围内。")


def tree_stamp() -> str:
    """Changes whenever the tree does: an organisation added (a higher id) or changed (a later
    updated_at, which the import sets on every row it changes). Organisations are never deleted (every
    reference to one protects it, and no code path deletes one). Two index look-ups."""
    from django.db import connection

    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        # Two scalar sub-selects: each MAX is read off its index (one aggregate query with both scanned
        # the table on SQLite, 2.7 ms at 20,000 organisations).
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {table}), (SELECT MAX(updated_at) FROM {table})")
        top, last = cursor.fetchone()
    return hashlib.sha256(f"{top}|{last}".encode()).hexdigest()[:24]


def children_summary(organisation: Organisation) -> dict[str, int]:
    """How many organisations of each kind lie below this one. Counting a province's 20,000 schools on
    every dashboard took 7–10 ms, so the counts are kept in the cache under the tree's stamp: any
    change to the tree gives a new key, never a stale count."""
    from django.core.cache import cache
    from django.db.models import Count

    key = f"orgs:children:{organisation.pk}:{tree_stamp()}"
    counts = cache.get(key)
    if counts is None:
        rows = (
            Organisation.objects.filter(path__under=organisation.path)
            .exclude(pk=organisation.pk)
            .values("kind")
            .annotate(n=Count("id"))
        )
        counts = {row["kind"]: row["n"] for row in rows}
        cache.set(key, counts, timeout=3600)
    return counts


def applicants_of(organisation_id: int) -> QuerySet[User]:
    """The active users who apply (and so run projects) for an organisation: whom its results reach."""
    return User.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role_grants__role__in=[Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT],
    ).distinct()


def city_names(path_prefix: str) -> dict[str, str]:
    """{code: name} of the cities under a path: what summaries and charts group their rows by."""
    return dict(Organisation.objects.filter(kind=OrgKind.CITY, path__under=path_prefix).values_list("code", "name"))


def city_of(path: str, cities: dict[str, str], default: str = "") -> str:
    """The name of the city on an organisation's path (a city's own path included)."""
    return next((cities[c] for c in path.strip("/").split("/") if c in cities), default)

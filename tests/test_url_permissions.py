"""Every URL of the project × every role × an object inside and outside the role's scope.

Adding a URL without adding it to SPEC fails test_every_url_is_covered: a new page cannot ship
without saying who may open it."""
from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.audit.services import log_action
from portal.orgs.choices import Role
from tests.factories import make_user

ALL = frozenset(Role.values)
OVERSEERS = frozenset({Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER,
                       Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN})
ADMINS = frozenset({Role.PROVINCE_ADMIN, Role.SYSTEM_ADMIN})
PUBLIC = "public"


def org_objects(t, role):
    inside = t.university if role == Role.EXPERT else t.school_a1
    outside = t.school_a1 if role == Role.EXPERT else (None if role == Role.MINISTRY_REVIEWER else t.other_school)
    return ({"code": inside.code}, {"code": outside.code} if outside else None)


def user_objects(t, role):
    inside = make_user(Role.SCHOOL_APPLICANT, t.school_a1)
    outside = make_user(Role.SCHOOL_APPLICANT, t.other_school)
    return ({"pk": inside.pk}, None if role == Role.MINISTRY_REVIEWER else {"pk": outside.pk})


def audit_objects(t, role):
    inside = log_action("orgs.user.update", actor=make_user(Role.SCHOOL_APPLICANT, t.school_a1))
    outside = log_action("orgs.user.update", actor=make_user(Role.SCHOOL_APPLICANT, t.other_school))
    return ({"pk": inside.pk}, {"pk": outside.pk})


@dataclass(frozen=True)
class Case:
    allowed: frozenset | str
    objects: Callable | None = None
    method: str = "get"
    ok: int = 200                      # status for an allowed role on an object in scope


SPEC = {
    "core:dashboard": Case(ALL),
    "core:health": Case(PUBLIC),
    "accounts:login": Case(PUBLIC, ok=302),            # signed in: straight to the dashboard
    "accounts:logout": Case(ALL, method="post", ok=302),
    "accounts:password_change": Case(ALL),
    "orgs:organisation_list": Case(ALL),
    "orgs:organisation_detail": Case(ALL, org_objects),
    "orgs:user_list": Case(OVERSEERS),
    "orgs:user_detail": Case(OVERSEERS, user_objects),
    "orgs:user_unlock": Case(ADMINS, user_objects, method="post", ok=302),
    "orgs:import": Case(ADMINS),
    "orgs:import_template": Case(ADMINS),
    "audit:entry_list": Case(frozenset({Role.AUDIT_ADMIN})),
    "audit:entry_detail": Case(frozenset({Role.AUDIT_ADMIN}), audit_objects),
    "api:schema": Case(ALL),
    "api:docs": Case(ALL),
    "api:token": Case(PUBLIC, method="post", ok=400),  # empty body: a validation error, not a 403
    "api:me": Case(ALL),
    "api:organisation_list": Case(ALL),
    "api:organisation_detail": Case(ALL, org_objects),
    "api:user_list": Case(OVERSEERS),
    "api:user_detail": Case(OVERSEERS, user_objects),
}


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name"
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_is_covered():
    names = set(_names(get_resolver().url_patterns))
    assert names - set(SPEC) == set(), "URLs without a permission case in SPEC"
    assert set(SPEC) - names == set(), "SPEC names URLs that no longer exist"


def _request(client, case, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    return getattr(client, case.method)(url)


@pytest.mark.parametrize("name", sorted(SPEC))
def test_anonymous_is_sent_to_login_or_refused(client, tree, name):
    case = SPEC[name]
    kwargs = case.objects(tree, Role.PROVINCE_ADMIN)[0] if case.objects else None
    response = _request(client, case, name, kwargs)
    if case.allowed == PUBLIC:
        assert response.status_code in {200, 302, 400}
    elif name.startswith("api:"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(SPEC))
def test_role_inside_and_outside_scope(client, tree, role_users, name, role):
    case = SPEC[name]
    client.force_login(role_users[role])
    inside, outside = case.objects(tree, role) if case.objects else (None, None)
    allowed = case.allowed == PUBLIC or role in case.allowed
    response = _request(client, case, name, inside)
    expected = case.ok if allowed else 403
    assert response.status_code == expected, f"{name} as {role} in scope"
    if outside is not None and allowed and case.allowed != PUBLIC:
        client.force_login(role_users[role])  # logout cases end the session
        response = _request(client, case, name, outside)
        assert response.status_code == 404, f"{name} as {role} outside scope"

"""The permission walk, for lists: every list page and list API endpoint is requested by every role
allowed to open it, with rows inside and outside that role's scope present; a row inside must be
shown and a row outside must not.

test_url_permissions.py checks that a list answers 200 to the roles that may open it; only this
file notices a list that answers 200 with everyone's rows. Every GET URL without a path parameter
is either a list with a case here or named in NOT_LISTS with the reason: a new list URL without a
case fails test_every_list_has_a_contents_case."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from portal.orgs.choices import Role
from tests.factories import make_user
from tests.test_url_permissions import (
    ALL,
    PUBLIC,
    SPEC,
    _expert_objects,
    _programme_objects,
    _review_objects,
    application_objects,
    assignment_objects,
    audit_objects,
    call_objects,
    guidance_objects,
    job_objects,
    list_objects,
    notification_objects,
    org_objects,
    project_objects,
    token_objects,
    training_pair,
    user_objects,
)

# GET URLs without parameters that are not lists of rows, and why.
NOT_LISTS = {
    "core:dashboard": "panels of the user's own to-do items; each panel's rows come from the scoped selectors "
    "whose lists are walked here",
    "core:health": "service state, no rows",
    "accounts:login": "a form",
    "accounts:password_change": "a form",
    "orgs:import": "a form",
    "orgs:user_create": "a form",
    "orgs:import_template": "a blank template file",
    "programmes:call_create": "a form",
    "evaluation:round_create": "a form",
    "review:seal": "the user's own organisation's seal",
    "notifications:settings": "the user's own settings",
    "api:schema": "the API's description",
    "api:docs": "the API's description",
    "api:me": "the caller",
    "formspec:import": "a form",
    "formspec:list": "the portal's own definitions for every user, and those published within the user's reach "
    "(tests/test_form_editor.py shows another province's forms and drafts are not listed)",
    "api:form_list": "as formspec:list (tests/test_form_editor.py)",
    "api:ability_point_list": "the national list and the caller's province's additions, as the page",
    "schools:ability_points": "the national list and the user's own province's additions "
    "(tests/schools/test_training.py shows another province's are not listed)",
}


@dataclass(frozen=True)
class ListCase:
    objects: Callable  # (tree, role) → (inside pks, outside pks); either may be empty
    marker: Callable | None  # pk → text that shows the row on an HTML page; None for the API


def by_pk(objects):
    """A list case from a walk builder that gives ({"pk": inside}, {"pk": outside} or None)."""

    def keys(t, role):
        inside, outside = objects(t, role)
        return [inside["pk"]], [outside["pk"]] if outside else []

    return keys


applications, calls, users = by_pk(application_objects), by_pk(call_objects), by_pk(user_objects)
audit_entries, review_lists = by_pk(audit_objects), by_pk(list_objects)
assignments, jobs, notifications, tokens = (
    by_pk(assignment_objects),
    by_pk(job_objects),
    by_pk(notification_objects),
    by_pk(token_objects),
)


def by_gpk(objects):
    def keys(t, role):
        inside, outside = objects(t, role)
        return [inside["gpk"]], [outside["gpk"]] if outside else []

    return keys


def organisations(t, role):
    inside, outside = org_objects(t, role)
    return [inside["code"]], [outside["code"]] if outside else []


def panels(t, role):
    o = _expert_objects(t)
    return [o["panel"].pk, o["other_panel"].pk], [o["shanxi_panel"].pk]


def pool(t, role):
    """Registered experts by name: the province's own, and Shanxi's."""
    from portal.experts.models import Expert

    _expert_objects(t)
    mine = Expert.objects.create(
        user=make_user(Role.EXPERT, t.university, real_name="广西专家乙"), field="教育技术", province=t.province
    )
    theirs = Expert.objects.create(
        user=make_user(Role.EXPERT, t.other_school, real_name="山西专家甲"), field="x", province=t.other_province
    )
    return [mine.user.real_name], [theirs.user.real_name]


QUEUE_OUTSIDE = {
    Role.COUNTY_REVIEWER: ("school_b1", "county"),
    Role.CITY_REVIEWER: ("school_c1", "city"),
    Role.PROVINCE_ADMIN: ("other_school", "province"),
    Role.MINISTRY_REVIEWER: (None, None),
}
QUEUE_STAGE = {
    Role.COUNTY_REVIEWER: "county",
    Role.CITY_REVIEWER: "city",
    Role.PROVINCE_ADMIN: "province",
    Role.MINISTRY_REVIEWER: "ministry",
}


def queue(t, role):
    """Submitted applications waiting at the role's level: one in its area, one in a neighbour's."""
    from django.utils import timezone

    from portal.programmes.models import Application

    objects = _programme_objects(t)
    guangxi, shanxi = objects["calls"]
    stage = QUEUE_STAGE[role]
    inside = objects["school"][0]
    Application.objects.filter(pk=inside.pk).update(stage=stage, stage_since=timezone.now())
    org_name, outside_stage = QUEUE_OUTSIDE[role]
    if org_name is None:
        return [inside.pk], []
    outside = {
        "school_b1": objects["county_b"][0],
        "school_c1": objects["city_c"][0],
        "other_school": objects["shanxi"][0],
    }[org_name]
    Application.objects.filter(pk=outside.pk).update(stage=outside_stage, stage_since=timezone.now())
    return [inside.pk], [outside.pk]


def notices(t, role):
    """The public index: a list in its notice period is shown, a list never put on notice is not."""
    objects = _review_objects(t)
    return [str(objects[Role.CITY_REVIEWER]["token"])], [str(objects["city_c"]["token"])]


def project_organisations(t, role):
    """The charts name each project by its organisation (the walk's projects all have a plan)."""
    from portal.programmes.models import Project

    inside, outside = project_objects(t, role)
    name = lambda key: Project.objects.get(pk=key["pk"]).organisation.name  # noqa: E731
    return [name(inside)], [name(outside)] if outside else []


def evaluation_rounds(t, role):
    from tests.evaluation.walk import round_pair

    inside, outside = round_pair(t, role)
    return [inside["pk"]], [outside["pk"]] if outside else []


def evaluation_tasks(t, role):
    """The walk's expert scores a1's self-evaluation; a stranger scores b1's."""
    from tests.evaluation.walk import evaluation_set

    o = evaluation_set(t)
    return [o["a1"]["pk"]], [o["b1"]["pk"]]


def published_rounds(t, role):
    """The public page: the published Shanxi round is listed, the open Guangxi one is not."""
    from tests.evaluation.walk import evaluation_set

    o = evaluation_set(t)
    return [o["shanxi"]["round_pk"]], [o["a1"]["round_pk"]]


def showcase_items(t, role):
    from tests.test_url_permissions import showcase_objects

    inside, outside = showcase_objects(t, role)
    return [inside["pk"]], [outside["pk"]] if outside else []


def public_showcase(t, role):
    """Selected items only: a1's is selected, b1's only submitted."""
    from tests.projects.walk import project_set

    objects = project_set(t, _programme_objects(t)["calls"][0])
    return [objects["a1"]["showcase_pk"]], [objects["b1"]["showcase_pk"]]


def _link(name):
    return lambda key: reverse(name, args=[key])


LIST_CASES = {
    "programmes:application_list": ListCase(applications, lambda pk: f"/applications/{pk}/"),
    "api:application_list": ListCase(applications, None),
    "programmes:call_list": ListCase(calls, _link("programmes:call_detail")),
    "api:call_list": ListCase(calls, None),
    "orgs:organisation_list": ListCase(organisations, _link("orgs:organisation_detail")),
    "api:organisation_list": ListCase(organisations, None),
    "orgs:user_list": ListCase(users, _link("orgs:user_detail")),
    "api:user_list": ListCase(users, None),
    "audit:entry_list": ListCase(audit_entries, _link("audit:entry_detail")),
    "review:queue": ListCase(queue, _link("review:review")),
    "review:list_index": ListCase(review_lists, _link("review:list_detail")),
    "api:review_list_list": ListCase(review_lists, None),
    "experts:pool": ListCase(pool, lambda name: name),
    "experts:panel_list": ListCase(panels, _link("experts:panel_detail")),
    "experts:task_list": ListCase(assignments, _link("experts:task")),
    "api:expert_assignment_list": ListCase(assignments, None),
    "reports:centre": ListCase(jobs, lambda pk: f'data-job="{pk}"'),
    "api:report_list": ListCase(jobs, None),
    "notifications:list": ListCase(notifications, _link("notifications:open")),
    "accounts:tokens": ListCase(tokens, _link("accounts:token_revoke")),
    "api:my_tokens": ListCase(tokens, None),
    "public_notices": ListCase(notices, lambda token: f"/notices/{token}/"),
    "projects:list": ListCase(by_pk(project_objects), _link("projects:detail")),
    "api:project_list": ListCase(by_pk(project_objects), None),
    "projects:charts": ListCase(project_organisations, lambda name: f">{name}</text>"),
    "schools:summary": ListCase(by_pk(training_pair()), _link("schools:training")),
    "schools:guidance_list": ListCase(by_gpk(guidance_objects), _link("schools:guidance")),
    "api:guidance_list": ListCase(by_gpk(guidance_objects), None),
    "evaluation:rounds": ListCase(evaluation_rounds, _link("evaluation:round")),
    "evaluation:tasks": ListCase(evaluation_tasks, _link("evaluation:score")),
    "evaluation:public_rounds": ListCase(published_rounds, _link("evaluation:public_round")),
    "api:evaluation_round_list": ListCase(evaluation_rounds, None),
    "api:showcase_list": ListCase(public_showcase, None),
    "evaluation:monthly": ListCase(by_pk(project_objects), lambda pk: f'data-testid="grid-{pk}"'),
    "evaluation:showcase_manage": ListCase(showcase_items, lambda pk: f'data-testid="item-{pk}"'),
    "evaluation:public_showcase": ListCase(public_showcase, lambda pk: f'data-testid="card-{pk}"'),
}


def test_every_list_has_a_contents_case():
    parameterless = {name for name, case in SPEC.items() if case.method == "get" and case.objects is None}
    assert parameterless - set(LIST_CASES) - set(NOT_LISTS) == set(), "list URLs without a contents case"
    assert set(LIST_CASES) | set(NOT_LISTS) <= set(SPEC)


def _rows_of(response) -> set[str]:
    """The keys of an API list's rows (paginated or not)."""
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {str(row.get("id", row.get("code"))) for row in rows}


def _cases():
    for name in sorted(LIST_CASES):
        allowed = SPEC[name].allowed
        roles = sorted(ALL) if allowed == PUBLIC else sorted(allowed)
        for role in roles:
            yield name, role


@pytest.mark.parametrize("name, role", list(_cases()))
def test_a_list_shows_its_rows_in_scope_and_none_outside(client, tree, role_users, name, role):
    case = LIST_CASES[name]
    inside, outside = case.objects(tree, role)
    assert inside, f"{name} as {role}: the case must put a row inside the scope"
    if SPEC[name].allowed != PUBLIC:
        client.force_login(role_users[role])
    response = client.get(reverse(name))
    assert response.status_code == 200, f"{name} as {role}"
    if case.marker is None:
        shown = _rows_of(response)
        assert {str(k) for k in inside} <= shown, f"{name} as {role}: a row in scope is missing"
        assert not {str(k) for k in outside} & shown, f"{name} as {role}: a row outside the scope is listed"
    else:
        page = response.content.decode()
        for key in inside:
            assert case.marker(key) in page, f"{name} as {role}: row {key} in scope is missing"
        for key in outside:
            assert not re.search(re.escape(case.marker(key)) + r"(?![0-9])", page), (
                f"{name} as {role}: row {key} outside the scope is listed"
            )

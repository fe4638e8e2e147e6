"""API lists filter and order as users expect: by status, call, stage, kind,
organisation (with what lies below it), role, updated since; `ordering` by the listed fields. Filters
only narrow the caller's scope, bad values are a 400 naming the parameter, and the parameters are in
the OpenAPI schema."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.orgs.choices import Role
from portal.programmes.models import Application
from tests.factories import make_user


@pytest.fixture
def api(role_users):
    client = APIClient()
    client.force_authenticate(role_users[Role.PROVINCE_ADMIN])
    return client


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_applications_filter_by_status_stage_kind_call_organisation_and_time(api, calls, tree, submitted):
    a1 = submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a1), calls.guangxi)
    c1 = submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_c1), calls.guangxi)
    url = reverse("api:application_list")
    assert set(_ids(api.get(url, {"status": "submitted"}))) == {a1.pk, c1.pk}
    assert _ids(api.get(url, {"status": "draft"})) == []
    assert set(_ids(api.get(url, {"stage": "county", "kind": "school", "call": calls.guangxi.pk}))) == {a1.pk, c1.pk}
    assert _ids(api.get(url, {"organisation": tree.city_a.code})) == [a1.pk]  # 南宁 and what lies below it
    assert _ids(api.get(url, {"organisation": tree.other_school.code})) == []  # outside the scope: nothing
    Application.objects.filter(pk=a1.pk).update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert _ids(api.get(url, {"updated_since": since})) == [c1.pk]
    assert _ids(api.get(url, {"ordering": "updated_at"})) == [a1.pk, c1.pk]
    assert _ids(api.get(url, {"ordering": "-updated_at"})) == [c1.pk, a1.pk]


@pytest.mark.parametrize(
    "params, name",
    [
        ({"status": "nonsense"}, "status"),
        ({"call": "abc"}, "call"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"ordering": "password"}, "ordering"),
        ({"kind": "\u202e"}, "kind"),
        # PostgreSQL takes offsets up to ±15:59 only (a 500 the fuzzer found); year 1 east of UTC has no UTC.
        ({"updated_since": "0201-02-16T05:30:28-16:17"}, "updated_since"),
        ({"updated_since": "2026-01-01T00:00:00+14:30"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_the_parameter(api, calls, params, name):
    response = api.get(reverse("api:application_list"), params)
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_a_moment_at_the_edge_of_the_offsets_is_taken(api, calls):
    for since in ("2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00-12:00"):
        assert api.get(reverse("api:application_list"), {"updated_since": since}).status_code == 200
    assert api.get(reverse("api:organisation_list"), {"updated_since": "0201-02-16T05:30:28-16:17"}).status_code == 400


def test_users_organisations_and_lists_filter_too(api, tree, role_users):
    users = reverse("api:user_list")
    reviewers = api.get(users, {"role": "county_reviewer"}).json()["results"]
    assert {u["username"] for u in reviewers} == {role_users[Role.COUNTY_REVIEWER].username}
    orgs = api.get(reverse("api:organisation_list"), {"kind": "county", "parent": tree.city_a.code}).json()["results"]
    assert {o["code"] for o in orgs} == {tree.county_a.code, tree.county_b.code}
    assert api.get(reverse("api:review_list_list"), {"level": "city", "status": "open"}).status_code == 200


def test_the_filters_are_documented_in_the_schema(api):
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    names = {p["name"] for p in schema["paths"]["/api/v1/applications/"]["get"]["parameters"]}
    assert {"status", "call", "stage", "kind", "organisation", "updated_since", "ordering"} <= names
    names = {p["name"] for p in schema["paths"]["/api/v1/users/"]["get"]["parameters"]}
    assert {"organisation", "role", "active", "ordering"} <= names

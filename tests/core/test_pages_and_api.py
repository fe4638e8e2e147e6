import pytest
from django.urls import reverse

from portal.orgs.choices import OrgKind, Role
from tests.factories import make_org, make_user


@pytest.mark.parametrize(
    "role, title",
    [
        (Role.SCHOOL_APPLICANT, "待填写的申报表"),
        (Role.BUREAU_APPLICANT, "待填写的申报表"),
        (Role.COUNTY_REVIEWER, "待审核事项"),
        (Role.CITY_REVIEWER, "待审核事项"),
        (Role.PROVINCE_ADMIN, "被锁定的账户"),
        (Role.EXPERT, "分配给我的评审任务"),
        (Role.MINISTRY_REVIEWER, "待审核事项"),
        (Role.SYSTEM_ADMIN, "被锁定的账户"),
        (Role.AUDIT_ADMIN, "近 24 小时安全事件"),
    ],
)
def test_each_role_sees_its_own_dashboard(client, role_users, role, title):
    client.force_login(role_users[role])
    html = client.get("/").content.decode()
    assert title in html and Role(role).label in html


def test_menu_follows_permissions(client, role_users):
    client.force_login(role_users[Role.SCHOOL_APPLICANT])
    html = client.get("/").content.decode()
    assert 'href="/import/"' not in html and 'href="/audit/"' not in html and 'href="/users/"' not in html
    client.force_login(role_users[Role.PROVINCE_ADMIN])
    html = client.get("/").content.decode()
    assert 'href="/import/"' in html and 'href="/users/"' in html and 'href="/audit/"' not in html
    client.force_login(role_users[Role.AUDIT_ADMIN])
    assert 'href="/audit/"' in client.get("/").content.decode()


def _add_schools(parent, n, start=100):
    for i in range(start, start + n):
        make_org(f"2{parent.code}{i:03d}", OrgKind.SCHOOL, parent, name=f"学校{i}")


@pytest.mark.parametrize("url", ["/orgs/", "/users/", "/orgs/450102/", "/api/v1/organisations/", "/api/v1/users/"])
def test_list_pages_use_a_constant_number_of_queries(client, tree, url):
    admin = make_user(Role.PROVINCE_ADMIN, tree.centre)
    client.force_login(admin)
    _add_schools(tree.county_a, 1)
    make_user(Role.SCHOOL_APPLICANT, tree.school_a1)
    client.get(url)  # warm the session and any per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_schools(tree.county_a, 49, start=200)
    for _i in range(49):
        make_user(Role.SCHOOL_APPLICANT, tree.school_a2)
    client.get(url)  # the new schools changed the tree: its counts are cached again (orgs.selectors)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_api_lists_only_the_callers_scope(client, tree):
    client.force_login(make_user(Role.COUNTY_REVIEWER, tree.county_a))
    data = client.get("/api/v1/organisations/").json()
    assert [o["code"] for o in data["results"]] == ["450102", "2450102001", "2450102002"]
    assert data["results"][1]["kind_label"] == "学校" and data["results"][1]["parent_code"] == "450102"


def test_openapi_schema_documents_the_resources(client, tree):
    client.force_login(make_user(Role.COUNTY_REVIEWER, tree.county_a))
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    for path in ("/api/v1/organisations/", "/api/v1/organisations/{code}/", "/api/v1/users/", "/api/v1/auth/token/"):
        assert path in (schema["paths"] if schema else text)
    assert client.get(reverse("api:docs")).status_code == 200


def test_health_check_answers_without_login(client, db):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_api_docs_send_an_anonymous_visitor_to_sign_in_and_back(client, db):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"
    # The machine-readable schema stays an API resource: no redirect for a client.
    assert client.get(reverse("api:schema")).status_code in (401, 403)

"""The training plan, its scores and rankings and the ability points through the API,
in scope (404 outside, 404 for a zone's project), masked as on the pages, 409 when stale, and every
bad body a 400 naming the field — an item twice in one body, an award level that does not exist, a
score over the item's 分值, a body that is not a JSON object."""

import pytest
from rest_framework.test import APIClient

from portal.orgs.choices import Role
from schools import services
from tests.contract import assert_conflict
from tests.factories import make_user


@pytest.fixture
def api():
    def as_(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_school")


@pytest.fixture
def plan(projects, school):
    plan = services.plan_of(projects.a1)
    group = services.save_group(actor=school, plan=plan, data={"name": "语文科", "points": ["G8"], "responsible": "陈"})
    services.save_teacher(
        actor=school,
        plan=plan,
        data={"name": "陈艳平", "group": str(group.pk), "phone": "13926900101", "email": "cyp@example.cn"},
    )
    services.save_group(actor=school, plan=plan, data={"name": "数学科", "points": ["B3"], "responsible": "王"})
    return plan


def _url(plan, suffix=""):
    return f"/api/v1/projects/{plan.project_id}/training/{suffix}"


def test_the_plan_reads_in_scope_and_masks_for_the_county(api, tree, plan, school, role_users, projects):
    mine = api(school).get(_url(plan)).json()
    assert [g["points"] for g in mine["groups"]] == [
        [{"code": "G8", "name": "智慧教育环境下教学模式创新"}],
        [{"code": "B3", "name": "创新解决问题的方法"}],
    ]
    assert mine["teachers"][0]["phone"] == "13926900101"
    county = api(role_users[Role.COUNTY_REVIEWER]).get(_url(plan)).json()
    assert county["teachers"][0]["phone"] == "139****0101" and county["teachers"][0]["email"] == "c***@example.cn"
    neighbour = make_user(Role.SCHOOL_APPLICANT, tree.school_a2, username="a2_school")  # same county
    assert api(neighbour).get(_url(plan)).status_code == 404
    assert api(make_user(Role.BUREAU_APPLICANT, tree.county_a)).get(_url(plan)).status_code == 403
    assert api(role_users[Role.CITY_REVIEWER]).get(f"/api/v1/projects/{projects.zone.pk}/training/").status_code == 404
    assert (
        api(role_users[Role.PROVINCE_ADMIN]).get(f"/api/v1/projects/{projects.shanxi.pk}/training/").status_code == 404
    )


def test_saving_the_plan_is_409_when_stale(api, plan, school):
    client = api(school)
    version = client.get(_url(plan)).json()["lock_version"]
    body = {"lock_version": version, "goals": "目标", "tasks": "任务", "cap_rule": "beyond"}
    assert client.put(_url(plan), body, format="json").json()["cap_rule"] == "beyond"
    stale = client.put(_url(plan), body, format="json")
    assert_conflict(stale, version=version + 1)
    bad = client.put(_url(plan), {**body, "lock_version": version + 1, "cap_rule": "sometimes"}, format="json")
    assert bad.status_code == 400 and "cap_rule" in bad.json()["errors"]


def test_scores_and_rankings_through_the_api(api, plan, school):
    client = api(school)
    chinese, maths = plan.groups.order_by("number")
    response = client.post(
        _url(plan, "scores/"),
        {
            "sheet": "group",
            "subject": chinese.pk,
            "items": [
                {"item": 3, "self_score": "10", "score": "10", "missing": 1},
                {"item": 6, "self_score": "20", "score": "15", "awards": ["city", "town"]},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    scored = response.json()
    assert [(i["item"], i["total"]) for i in scored["items"] if i["score"]] == [(3, "8"), (6, "20")]
    assert scored["total"] == "28"
    client.post(
        _url(plan, "scores/"),
        {"sheet": "group", "subject": maths.pk, "items": [{"item": 1, "score": "10"}]},
        format="json",
    )
    results = client.get(_url(plan, "results/")).json()
    assert [(g["name"], g["rank"], g["total"]) for g in results["groups"]] == [("语文科", 1, "28"), ("数学科", 2, "10")]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"sheet": "group", "items": [{"item": 1, "score": "5"}, {"item": 1, "score": "6"}]}, "items"),
        ({"sheet": "group", "items": [{"item": 6, "score": "5", "awards": ["county"]}]}, "items"),
        ({"sheet": "group", "items": [{"item": 1, "score": "11"}]}, "item-1-score"),
        ({"sheet": "group", "items": [{"item": 6, "score": "20", "awards": ["national"]}]}, "item-6-awards"),
        ({"sheet": "teacher", "items": [{"item": 9, "score": "5"}]}, "item-9"),
        ({"sheet": "group", "items": []}, "items"),
        ({"sheet": "nonsense", "items": [{"item": 1}]}, "sheet"),
    ],
)
def test_bad_score_bodies_are_a_400_naming_the_field(api, plan, school, payload, field):
    subject = plan.groups.first() if payload["sheet"] != "teacher" else plan.teachers.first()
    response = api(school).post(_url(plan, "scores/"), {"subject": subject.pk, **payload}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"], response.json()


def test_hostile_bodies_and_other_plans_subjects_are_400(api, plan, school, projects):
    client = api(school)
    assert client.post(_url(plan, "scores/"), "[1, 2]", content_type="application/json").status_code == 400
    assert client.post(_url(plan, "scores/"), "{not json", content_type="application/json").status_code == 400
    other = services.plan_of(projects.b1)
    stranger = other.groups.create(name="语文科", responsible="x")
    response = client.post(
        _url(plan, "scores/"),
        {"sheet": "group", "subject": stranger.pk, "items": [{"item": 1, "score": "5"}]},
        format="json",
    )
    assert response.status_code == 400 and "subject" in response.json()["errors"]


def test_ability_points_follow_the_callers_province(api, tree, role_users):
    from schools.models import AbilityPoint

    AbilityPoint.objects.create(province=tree.province, code="B7", name="数据驱动的教学反思")
    guangxi = {p["code"] for p in api(role_users[Role.COUNTY_REVIEWER]).get("/api/v1/ability-points/").json()}
    shanxi = {
        p["code"] for p in api(make_user(Role.COUNTY_REVIEWER, tree.other_county)).get("/api/v1/ability-points/").json()
    }
    assert "B7" in guangxi and "B7" not in shanxi and {"B1", "G8"} <= shanxi


def test_the_endpoints_are_in_the_schema(api, school):
    schema = api(school).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/projects/{id}/training/",
        "/api/v1/projects/{id}/training/results/",
        "/api/v1/projects/{id}/training/scores/",
        "/api/v1/ability-points/",
    ):
        assert path in schema, path


def test_nul_bytes_and_oversized_bodies_are_a_400(api, plan, school):
    client = api(school)
    version = client.get(_url(plan)).json()["lock_version"]
    nul = client.put(
        _url(plan), {"lock_version": version, "goals": "目标\x00", "tasks": "任务", "cap_rule": "within"}, format="json"
    )
    assert nul.status_code == 400
    long = client.put(
        _url(plan),
        {"lock_version": version, "goals": "长" * 3001, "tasks": "任务", "cap_rule": "within"},
        format="json",
    )
    assert long.status_code == 400 and "goals" in long.json()["errors"]

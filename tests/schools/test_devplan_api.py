"""The 发展规划 and its guidance through the API: the draft (409 when stale, hostile
bodies a 400 with the reason), submission, the guidance written, summed up and signed by the panel's
experts only, contacts masked for the roles that mask them."""

import pytest

from portal.accounts.tokens import issue
from portal.orgs.choices import Role
from schools import devplans, guidance
from schools.demo import _raw
from tests.contract import assert_conflict
from tests.factories import make_user
from tests.schools.test_devplan import fill, seed_values


@pytest.fixture
def school(tree):
    return make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_school", real_name="黄丽清")


@pytest.fixture
def plan(projects):
    return devplans.plan_of(projects.a1)


def api(client, user):
    token = issue(user)[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client


def test_the_draft_round_trips_with_409_and_hostile_bodies_refused(client, plan, school):
    c = api(client, school)
    url = f"/api/v1/projects/{plan.project_id}/development-plan/"
    got = c.get(url).json()
    assert got["lock_version"] == plan.lock_version and got["form"] == {"key": "school_dev_plan", "version": 1}
    raw = _raw(plan.schema.definition, seed_values())
    saved = c.put(url, {"lock_version": got["lock_version"], "data": raw}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["errors"] == {}
    stale = c.put(
        url, {"lock_version": got["lock_version"], "data": {"principal": "旧"}}, content_type="application/json"
    )
    assert_conflict(stale, version=got["lock_version"] + 1)
    for bad in (
        '{"lock_version": 2, "data": {"principal": "a\\u0000b"}}',
        "[1, 2]",
        "{not json",
        '{"lock_version": 2, "data": "text"}',
    ):
        response = c.put(url, bad, content_type="application/json")
        assert response.status_code == 400, bad
        assert response.json()["detail"]
    submitted = c.post(url + "submit/", {"lock_version": saved.json()["lock_version"]}, content_type="application/json")
    assert submitted.status_code == 201 and submitted.json()["number"] == 1


def test_submission_refused_names_each_field(client, plan, school):
    c = api(client, school)
    url = f"/api/v1/projects/{plan.project_id}/development-plan/"
    response = c.post(url + "submit/", {"lock_version": plan.lock_version}, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["mode"] == ["请选择「学校信息化应用模式」。"] and "overview" in errors


def test_guidance_through_the_api_and_contacts_masked_for_the_county(client, plan, school, experts, admin, role_users):
    experts.lu.user.phone = "13900001111"
    experts.lu.user.save(update_fields=["phone"])
    devplans.submit(actor=school, plan=fill(plan, school))
    given = guidance.assign(actor=admin, plan=plan, leader=experts.lu, members=[experts.huang])
    member = api(client, experts.huang.user)
    assert [g["id"] for g in member.get("/api/v1/guidance/").json()] == [given.pk]
    url = f"/api/v1/guidance/{given.pk}/"
    detail = member.get(url).json()
    assert detail["plan"]["values"]["team"][3]["phone"] == "（评审时不显示）"
    assert member.put(url, {"note": "建议发挥科组作用。"}, content_type="application/json").status_code == 200
    refused = member.put(url, {"summary": "x", "lock_version": 1}, content_type="application/json")
    assert refused.status_code == 403
    assert member.post(url + "sign/").status_code == 403
    leader = api(client, experts.lu.user)
    assert leader.post(url + "sign/").status_code == 400  # no summary yet
    saved = leader.put(url, {"summary": "规划条理清晰。", "lock_version": 1}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["lock_version"] == 2
    assert leader.put(url, {"summary": "旧", "lock_version": 1}, content_type="application/json").status_code == 409
    signed = leader.post(url + "sign/")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert experts.qin.user and api(client, experts.qin.user).get(url).status_code == 404
    county = api(client, role_users[Role.COUNTY_REVIEWER])
    seen = county.get(f"/api/v1/projects/{plan.project_id}/development-plan/").json()
    assert seen["latest"]["values"]["lead_phone"] == "（评审时不显示）"
    assert "draft" not in seen and seen["guidance"][0]["leader"]["phone"] == "139****1111"
    school_view = api(client, school).get(f"/api/v1/projects/{plan.project_id}/development-plan/").json()
    assert school_view["latest"]["values"]["lead_phone"] == "13600000021"
    city = api(client, role_users[Role.CITY_REVIEWER]).get(f"/api/v1/projects/{plan.project_id}/development-plan/")
    assert city.json()["guidance"][0]["leader"]["phone"] == "13900001111"

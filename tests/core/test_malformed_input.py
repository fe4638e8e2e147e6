"""Malformed input is a 400 with a Chinese reason naming the field — never a 500.
Each case below answered 500 with a traceback before the boundary checks existed."""

import json

import pytest
from django.urls import reverse

from portal.orgs.choices import Role
from portal.programmes.services.applications import start_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _send(client, method, url, payload, raw=False):
    body = payload if raw else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json")


def _assert_refused(response, *words):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    for word in words:
        assert word in detail, (word, detail)


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"call": "abc"}, ["申报批次", "call"]),
        ([2], ["JSON 对象"]),
        ({"a": 1}, ["申报批次", "必填"]),
        ({"call": None}, ["申报批次"]),
        ({"call": 1.5}, ["申报批次"]),
    ],
)
def test_creating_an_application_with_a_bad_body(calls, school_user, client_as, payload, words):
    _assert_refused(_send(client_as(school_user), "post", reverse("api:application_list"), payload), *words)


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"lock_version": "abc", "data": {}}, ["版本号", "lock_version"]),
        ({"lock_version": [1], "data": {}}, ["版本号"]),
        ({"lock_version": "1\u0000", "data": {}}, ["lock_version", "NUL"]),
        ({"lock_version": 1, "data": {"title": "实验\u0000名称"}}, ["data", "NUL"]),
        ({"lock_version": 1, "data": [1]}, ["表单内容"]),
        ({"lock_version": -1, "data": {}}, ["版本号"]),
        ({"data": {}}, ["版本号", "必填"]),
    ],
)
def test_patching_a_draft_with_a_bad_body(calls, school_user, client_as, payload, words):
    application = start_application(actor=school_user, call=calls.guangxi)
    url = reverse("api:application_detail", args=[application.pk])
    _assert_refused(_send(client_as(school_user), "patch", url, payload), *words)
    application.refresh_from_db()
    assert application.lock_version == 1


def test_a_raw_nul_escape_in_json_is_refused(calls, school_user, client_as):
    application = start_application(actor=school_user, call=calls.guangxi)
    url = reverse("api:application_detail", args=[application.pk])
    _assert_refused(
        _send(client_as(school_user), "patch", url, '{"lock_version": 1, "data": {"a\\u0000": "x"}}', raw=True), "NUL"
    )


def test_malformed_json_is_a_400(calls, school_user, client_as):
    response = _send(client_as(school_user), "post", reverse("api:application_list"), '{"call": ', raw=True)
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"lock_version": "abc"}, ["版本号"]),
        ([], ["JSON 对象"]),
    ],
)
def test_submitting_with_a_bad_body(calls, school_user, client_as, payload, words):
    application = start_application(actor=school_user, call=calls.guangxi)
    url = reverse("api:application_submit", args=[application.pk])
    _assert_refused(_send(client_as(school_user), "post", url, payload), *words)


def test_submitting_with_an_empty_object_reaches_the_rules(calls, school_user, client_as):
    application = start_application(actor=school_user, call=calls.guangxi)
    response = _send(client_as(school_user), "post", reverse("api:application_submit", args=[application.pk]), {})
    assert response.status_code == 400 and response.json()["errors"]  # the form's own checks, not a crash


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"kind": "application_pdf", "pk": "abc"}, ["对象编号"]),
        ({"kind": "nonsense", "pk": 1}, ["报表类型"]),
        ({"kind": ["application_pdf"], "pk": 1}, ["报表类型"]),
        ({"kind": "application_pdf", "pk": 1, "regenerate": {"x": 1}}, ["重新生成"]),
    ],
)
def test_asking_for_a_report_with_a_bad_body(calls, school_user, client_as, payload, words):
    _assert_refused(_send(client_as(school_user), "post", reverse("api:report_list"), payload), *words)


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"points": {"1": "NaN"}, "submit": True}, ["须为数字"]),
        ({"points": {"1": "Infinity"}, "submit": True}, ["须为数字"]),
        ({"points": {"1": "-Infinity"}, "submit": True}, ["须为数字"]),
        ({"points": {"1": "5"}, "comments": ["x"]}, ["评分项意见"]),
        ({"points": [1]}, ["得分"]),
        ({"points": {"1": "5"}, "comment": {"a": 1}}, ["总体评审意见"]),
    ],
)
def test_scoring_with_a_bad_body(panel, admin, at_expert_stage, tree, experts, client_as, payload, words):
    from portal.experts.models import Assignment
    from portal.experts.services.assignment import auto_assign

    at_expert_stage(tree.school_a1)
    auto_assign(actor=admin, panel=panel)
    assignment = Assignment.objects.filter(panel=panel).select_related("expert__user").first()
    assert assignment is not None
    response = _send(
        client_as(assignment.expert.user), "post", reverse("api:expert_score", args=[assignment.pk]), payload
    )
    assert response.status_code == 400, response.content
    text = json.dumps(response.json(), ensure_ascii=False)
    for word in words:
        assert word in text


def test_a_draft_score_of_nan_is_kept_as_typed_but_never_counted(panel, admin, at_expert_stage, tree, client_as):
    from portal.experts.models import Assignment
    from portal.experts.services.assignment import auto_assign

    at_expert_stage(tree.school_a1)
    auto_assign(actor=admin, panel=panel)
    assignment = Assignment.objects.filter(panel=panel).select_related("expert__user").first()
    points = {str(n): "NaN" if n == 1 else "5" for n in range(1, 5)}
    response = _send(
        client_as(assignment.expert.user), "post", reverse("api:expert_score", args=[assignment.pk]), {"points": points}
    )
    assert response.status_code == 200 and response.json()["total"] is None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/?kind=%00",
        "/api/v1/organisations/?kind=school&q=a%00b",
        "/orgs/45%00/",
        "/applications/1%00/",
    ],
)
def test_nul_in_the_address_is_a_400(tree, role_users, client_as, url):
    response = client_as(role_users[Role.PROVINCE_ADMIN]).get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_an_anonymous_verify_with_nul_is_a_400(db, client):
    response = client.get("/verify/AB%00C/")
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_autosave_with_nul_says_what_is_wrong(calls, school_user, client_as):
    application = start_application(actor=school_user, call=calls.guangxi)
    response = client_as(school_user).post(
        reverse("programmes:application_autosave", args=[application.pk]),
        {"_lock_version": "1", "experiment_name": "实验\x00名称"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "NUL" in error and "experiment_name" in error and "版本号" not in error


def test_autosave_with_a_bad_version_says_so(calls, school_user, client_as):
    application = start_application(actor=school_user, call=calls.guangxi)
    url = reverse("programmes:application_autosave", args=[application.pk])
    missing = client_as(school_user).post(url, {})
    assert missing.status_code == 400 and missing.json()["error"] == "请求缺少版本号。"
    garbled = client_as(school_user).post(url, {"_lock_version": "abc"})
    assert garbled.status_code == 400 and garbled.json()["error"] == "版本号无效，请刷新页面后重试。"


def test_a_form_page_with_nul_shows_the_reason(calls, school_user, client_as):
    application = start_application(actor=school_user, call=calls.guangxi)
    response = client_as(school_user).post(
        reverse("programmes:application_edit", args=[application.pk]),
        {"_lock_version": "1", "experiment_name": "a\x00"},
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode() and "请求无法处理" in response.content.decode()


def test_a_negative_or_garbled_content_length_is_refused(db, client):
    assert client.post("/accounts/login/", CONTENT_LENGTH="abc").status_code == 400

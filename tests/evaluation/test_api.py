"""The cycle through the API — a draft with 409 when stale and hostile bodies a 400
with the reason, submission, the county's opinion, an expert's own sheet, the leader's signature, the
decision refused without reasons, rectification, extension, monthly reports and showcase items — and a
project never reads who scored it."""

from __future__ import annotations

from django.test import Client

from evaluation.models import EvaluationScore, Rectification
from portal.accounts.tokens import issue
from tests.contract import assert_conflict
from tests.evaluation.test_cycle import TEXT, open_round


def api(user) -> Client:
    c = Client()
    c.defaults["HTTP_AUTHORIZATION"] = f"Token {issue(user)[1]}"
    return c


def test_the_cycle_through_the_api(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    school = api(people.school)
    url = f"/api/v1/evaluation/entries/{entry.pk}/"
    got = school.get(url).json()
    assert got["lock_version"] == 1 and got["status"] == "due" and got["outcome"] is None
    for hostile in (
        "not json",
        '["a list"]',
        '{"lock_version": 1, "data": {"progress": "a\\u0000b"}}',
        '{"lock_version": "x", "data": {}}',
    ):
        response = school.put(url, hostile, content_type="application/json")
        assert response.status_code in (200, 400), hostile
        assert response.status_code == 400 or "\x00" not in response.json()["draft"].get("progress", "")
    saved = school.put(
        url,
        {"lock_version": school.get(url).json()["lock_version"], "data": {**TEXT, "self_1": "50", "self_2": "30"}},
        content_type="application/json",
    )
    assert saved.status_code == 200
    stale = school.put(url, {"lock_version": 1, "data": {"progress": "旧"}}, content_type="application/json")
    assert_conflict(stale, version=2)
    submitted = school.post(
        f"{url}submit/", {"lock_version": saved.json()["lock_version"]}, content_type="application/json"
    )
    assert submitted.status_code == 201 and len(submitted.json()["sha256"]) == 64
    city_too_early = api(people.city).post(
        f"{url}opinion/", {"agree": True, "text": "同意"}, content_type="application/json"
    )
    assert city_too_early.status_code == 403
    for user in (people.county, people.city):
        assert (
            api(user)
            .post(f"{url}opinion/", {"agree": True, "text": "同意报送。"}, content_type="application/json")
            .status_code
            == 200
        )
    admin = api(people.admin)
    from evaluation import panel

    panel.assign(actor=people.admin, round_=round_)
    for sheet in EvaluationScore.objects.filter(entry=entry).select_related("expert__user"):
        e = api(sheet.expert.user)
        bad = e.put(
            f"{url}score/", {"points": {"1": "NaN", "2": "30"}, "submit": True}, content_type="application/json"
        )
        assert bad.status_code == 400 and "“实施进展”的得分须为数字。" in str(bad.json())
        assert (
            e.put(
                f"{url}score/",
                {"points": {"1": "55", "2": "35"}, "comment": "好", "submit": True},
                content_type="application/json",
            ).json()["total"]
            == "90.00"
        )
    assert api(experts.wei.user).get(f"{url}score/").status_code == 404
    assert (
        api(experts.huang.user).post(f"{url}sign/", {"text": "同意。"}, content_type="application/json").status_code
        == 200
    )
    refused = admin.post(f"{url}decision/", {"outcome": "revoke"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"] == {"reasons": ["结论为“撤销”时须写明理由。"]}
    assert (
        admin.post(
            f"{url}decision/",
            {"outcome": "rectify", "reasons": "培训不足。", "rectify_by": "2099-01-01", "rectify_items": ["补齐培训"]},
            content_type="application/json",
        ).status_code
        == 201
    )
    names = [s.expert.user.real_name for s in EvaluationScore.objects.filter(entry=entry)]
    seen = school.get(url)
    assert seen.json()["outcome"] == "rectify" and "scores" not in seen.json()
    assert not any(name in seen.content.decode() for name in names)
    assert "scores" in admin.get(url).json()
    rectification = Rectification.objects.get()
    r_url = f"/api/v1/evaluation/rectifications/{rectification.pk}/"
    assert school.post(r_url, {}, content_type="application/json").status_code == 400
    assert school.post(r_url, {"report": "已整改。"}, content_type="application/json").json()["status"] == "filed"
    assert (
        admin.post(r_url, {"passed": True, "grade": "合格"}, content_type="application/json").json()["status"]
        == "passed"
    )


def test_extensions_monthly_reports_and_showcase_through_the_api(people, calls, projects):
    school = api(people.school)
    base = f"/api/v1/projects/{projects.a1.pk}"
    too_long = school.post(
        f"{base}/extensions/",
        {
            "years": 2,
            "reasons": "进度滞后。",
            "schedule": [{"name": "延期", "starts_on": "2029-03-01", "ends_on": "2030-02-28"}],
        },
        content_type="application/json",
    )
    assert too_long.status_code == 400 and too_long.json()["errors"]["years"] == [
        "本批次最长可延期 1 年，不能再申请延期 2 年。"
    ]
    made = school.post(
        f"{base}/extensions/",
        {
            "years": 1,
            "reasons": "进度滞后。",
            "schedule": [{"name": "延期", "starts_on": "2029-03-01", "ends_on": "2030-02-28"}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    x = made.json()["id"]
    assert (
        school.post(f"{base}/extensions/{x}/", {"action": "approve"}, content_type="application/json").status_code
        == 403
    )
    assert (
        api(people.county)
        .post(f"{base}/extensions/{x}/", {"action": "recommend", "text": "同意。"}, content_type="application/json")
        .json()["status"]
        == "recommended"
    )
    assert (
        api(people.admin)
        .post(f"{base}/extensions/{x}/", {"action": "approve"}, content_type="application/json")
        .json()["status"]
        == "approved"
    )
    not_asked = school.post(
        f"{base}/monthly-reports/",
        {
            "month": "2026-03",
            "active_teachers": 1,
            "active_students": 1,
            "active_parents": 1,
            "lessons": 1,
            "activities": 1,
            "resources_shared": 1,
        },
        content_type="application/json",
    )
    assert not_asked.status_code == 400 and not_asked.json()["detail"] == "本批次不要求报送试点月报。"
    formula = school.post(
        f"{base}/showcase/",
        {"title": "=cmd|' /C calc'!A0", "category": "case", "stage": "小学", "subject": "数学", "summary": "简介"},
        content_type="application/json",
    )
    assert formula.status_code == 201  # stored as text; the Excel writes it as text
    assert (
        school.post(
            f"{base}/showcase/",
            {"title": "x", "category": "nope", "stage": "小学", "subject": "数学", "summary": "简介"},
            content_type="application/json",
        ).status_code
        == 400
    )

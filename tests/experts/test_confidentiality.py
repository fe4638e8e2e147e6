"""Applicants and the levels below the province never learn who scored an application or who led
the panel: every page, API response and printed form they can reach says 专家评审 / 专家组 instead.
The province sees the names."""

import subprocess

import pytest
from django.urls import reverse

from portal.experts.models import Assignment
from portal.experts.services.assignment import assign
from portal.experts.services.sheets import close_panel, save_sheet
from portal.orgs.choices import Role
from portal.reports.pdf import application_pdf
from portal.review.services.decisions import Decision, decide
from tests.factories import make_user

NAMES = ("陆教授", "黄教授", "覃主任", "广西师范大学")


@pytest.fixture
def reviewed(tree, admin, experts, panel, at_expert_stage):
    """An application scored by two experts, the panel closed and its opinion signed by the leader."""
    (application,) = at_expert_stage(tree.school_a1)
    for expert, points in ((experts.huang, "20"), (experts.qin, "18")):
        assign(actor=admin, panel=panel, application=application, expert=expert)
        sheet = Assignment.objects.get(expert=expert, application=application)
        save_sheet(
            actor=expert.user,
            assignment=sheet,
            points=dict.fromkeys("1234", points),
            comments={},
            comment="方案可行。",
            submit=True,
        )
    close_panel(actor=admin, panel=panel)
    decide(
        actor=experts.lu.user,
        application=application,
        decision=Decision(outcome="recommend", text="专家组一致建议立项。"),
    )
    application.refresh_from_db()
    return application


def _readers(tree, role_users):
    return {
        "applicant": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="applicant_a1"),
        "county": role_users[Role.COUNTY_REVIEWER],
        "city": role_users[Role.CITY_REVIEWER],
    }


def _surfaces(client, user, application):
    client.force_login(user)
    pages = {"detail": client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()}
    for name in ("application_timeline", "application_opinions"):
        response = client.get(reverse(f"api:{name}", args=[application.pk]))
        assert response.status_code == 200, (name, user)
        pages[name] = (
            response.content.decode("unicode_escape") if b"\\u" in response.content else response.content.decode()
        )
    pdf, _ = application_pdf(application, user)
    pages["pdf"] = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return pages


def test_applicant_county_and_city_see_expert_review_without_names(client, tree, role_users, reviewed):
    for who, user in _readers(tree, role_users).items():
        for surface, text in _surfaces(client, user, reviewed).items():
            leaked = [name for name in NAMES if name in text]
            assert not leaked, f"{who} reads {leaked} on {surface}"
        detail = _surfaces(client, user, reviewed)["detail"]
        assert "专家评审" in detail and "专家组一致建议立项。" in detail  # the opinion itself is not secret


def test_the_province_sees_who_scored_and_who_signed(client, tree, role_users, reviewed):
    surfaces = _surfaces(client, role_users[Role.PROVINCE_ADMIN], reviewed)
    assert "黄教授" in surfaces["detail"] and "陆教授" in surfaces["detail"]
    assert "陆教授" in surfaces["application_opinions"] and "陆教授" in surfaces["pdf"]


def test_after_the_leader_signs_the_province_is_told_to_send_the_panel_list_on(client, admin, reviewed):
    """The province sends the expert list to itself; its queue says so plainly."""
    from portal.review.models import RecommendationList

    lst = RecommendationList.objects.get(level="expert")
    client.force_login(admin)
    queue = client.get(reverse("review:queue")).content.decode()
    assert 'data-testid="panel-list-waiting"' in queue and reverse("review:list_detail", args=[lst.pk]) in queue
    page = client.get(reverse("review:list_detail", args=[lst.pk])).content.decode()
    assert "提交省级审核" in page and 'data-testid="expert-send-hint"' in page
    client.post(reverse("review:list_send", args=[lst.pk]))
    reviewed.refresh_from_db()
    assert reviewed.stage == "province"
    queue = client.get(reverse("review:queue")).content.decode()
    assert 'data-testid="panel-list-waiting"' not in queue and reviewed.applicant.name in queue

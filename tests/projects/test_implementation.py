"""Filing the 实施方案: versions with attachments, the level above acknowledging or returning with
reasons, no second filing while one waits, late filings marked, bad files refused at the field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.exceptions import ServiceError
from portal.core.samples import blank_pdf
from portal.orgs.choices import Role
from portal.programmes.models import Project
from portal.projects import filing
from portal.projects.models import ImplementationPlan
from tests.factories import make_user

SECTIONS = {
    "goals": "建成智慧课堂示范校。",
    "content": "开展双师课堂。",
    "steps": "2026年9月启动。",
    "safeguards": "成立领导小组。",
}


@pytest.fixture
def people(tree):
    return type(
        "P",
        (),
        {
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a),
            "city": make_user(Role.CITY_REVIEWER, tree.city_a),
        },
    )


def test_a_plan_is_filed_returned_refiled_and_acknowledged(people, projects):
    with pytest.raises(ServiceError) as refused:
        filing.file_plan(
            actor=people.school,
            project=projects.a1,
            sections={**SECTIONS, "goals": "", "steps": "步" * 3001},
            uploads=[("方案.pdf", b"MZ not a pdf")],
        )
    assert refused.value.errors["goals"] == ["请填写工作目标。"]
    assert refused.value.errors["steps"] == ["实施步骤与进度安排不能超过 3000 个字（现为 3001 个）。"]
    assert "不是允许的文件类型" in refused.value.errors["files"][0]
    assert not ImplementationPlan.objects.exists()
    first = filing.file_plan(
        actor=people.school, project=projects.a1, sections=SECTIONS, uploads=[("方案.pdf", blank_pdf())]
    )
    assert first.number == 1 and first.files.get().content_type == "application/pdf"
    with pytest.raises(ServiceError, match="等待上级备案"):
        filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    with pytest.raises(PermissionError):
        filing.review_plan(actor=people.city, plan=first, action="acknowledge")
    with pytest.raises(ServiceError, match="请填写退回理由"):
        filing.review_plan(actor=people.county, plan=first, action="return")
    filing.review_plan(actor=people.county, plan=first, action="return", reasons="请细化实施步骤。")
    second = filing.file_plan(actor=people.school, project=projects.a1, sections={**SECTIONS, "steps": "分三步实施。"})
    assert second.number == 2 and ImplementationPlan.objects.get(pk=first.pk).sections["steps"] == "2026年9月启动。"
    filing.review_plan(actor=people.county, plan=second, action="acknowledge")
    with pytest.raises(ServiceError, match="无需再次报备"):
        filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    with pytest.raises(ServiceError, match="不能进行此操作"):
        filing.review_plan(
            actor=people.county, plan=ImplementationPlan.objects.get(pk=second.pk), action="return", reasons="x"
        )


def test_the_tab_shows_the_deadline_lateness_and_the_versions(client, people, projects):
    Project.objects.filter(pk=projects.a1.pk).update(approved_at=timezone.now() - timedelta(days=61))
    client.force_login(people.school)
    page = client.get(reverse("projects:implementation", args=[projects.a1.pk])).content.decode()
    assert "立项后 60 天内" in page and "已逾期未报备" in page
    response = client.post(reverse("projects:implementation", args=[projects.a1.pk]), {**SECTIONS, "content": ""})
    assert response.status_code == 400 and "请填写主要内容与举措。" in response.content.decode()
    assert "建成智慧课堂示范校。" in response.content.decode()  # what was typed stays
    response = client.post(reverse("projects:implementation", args=[projects.a1.pk]), SECTIONS, follow=True)
    page = response.content.decode()
    assert "实施方案第 1 版已报备" in page and "逾期报备" in page
    client.force_login(people.county)
    plan = ImplementationPlan.objects.get()
    client.post(reverse("projects:implementation_review", args=[projects.a1.pk, plan.pk]), {"action": "acknowledge"})
    assert ImplementationPlan.objects.get().status == "acknowledged"

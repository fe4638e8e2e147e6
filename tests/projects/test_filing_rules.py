"""The rules of filing a 实施方案 that the walk-through does not show: the deadline counts from the day
of 立项 (a filing on the last day is on time, the day after is late), a refusal names its field, a
filing and a review are audited with what changed and tell the people on the other side, and a
review keeps who decided, when and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.notifications.models import Kind, Notification
from portal.orgs.choices import Role
from portal.programmes.models import Project
from portal.projects import filing
from portal.projects.models import FilingStatus, ImplementationPlan
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
            "school": make_user(Role.SCHOOL_APPLICANT, tree.school_a1, username="a1_filer"),
            "county": make_user(Role.COUNTY_REVIEWER, tree.county_a, username="a_county_filing"),
        },
    )


def _approved(project, days_ago: int):
    Project.objects.filter(pk=project.pk).update(approved_at=timezone.now() - timedelta(days=days_ago))
    return Project.objects.get(pk=project.pk)


def test_the_deadline_counts_forward_from_the_day_of_approval(projects):
    project = _approved(projects.a1, 10)
    assert filing.due_on(project) == timezone.localdate(project.approved_at) + timedelta(
        days=project.call.plan_due_days
    )
    assert filing.due_on(project) > timezone.localdate(project.approved_at)


@pytest.mark.parametrize("days_ago,late", [(0, False), (1, True)], ids=["on the last day", "the day after"])
def test_a_filing_on_the_last_day_is_on_time_and_the_day_after_is_late(people, projects, days_ago, late):
    project = _approved(projects.a1, projects.a1.call.plan_due_days + days_ago)
    plan = filing.file_plan(actor=people.school, project=project, sections=SECTIONS)
    entry = AuditEntry.objects.get(action="projects.implementation.file")
    assert entry.data == {"files": [], "late": late}
    assert entry.changes == {"实施方案": [None, 1]} and entry.object_id == str(plan.pk)
    assert entry.actor_username == "a1_filer"


def test_a_filing_tells_the_level_above_and_a_refiling_counts_on(people, projects):
    first = filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    told = Notification.objects.get(user=people.county)
    assert told.kind == Kind.TO_REVIEW and told.title == f"{projects.a1.title}：实施方案第 1 版待备案"
    assert told.url == f"/projects/{projects.a1.pk}/implementation/"
    filing.review_plan(actor=people.county, plan=first, action="return", reasons="请细化。")
    filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    assert AuditEntry.objects.filter(action="projects.implementation.file").latest("pk").changes == {"实施方案": [1, 2]}


def test_a_refused_filing_says_so_and_a_second_filing_says_why_not(people, projects):
    with pytest.raises(ServiceError) as refused:
        filing.file_plan(actor=people.school, project=projects.a1, sections={**SECTIONS, "goals": ""})
    assert refused.value.message == "实施方案有内容需要修改。"
    filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    with pytest.raises(ServiceError) as waiting:
        filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    assert waiting.value.message == "实施方案第 1 版已报备，等待上级备案，不能重复报备。"


def test_a_return_needs_its_reasons_at_the_field(people, projects):
    plan = filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    with pytest.raises(ServiceError) as refused:
        filing.review_plan(actor=people.county, plan=plan, action="return", reasons="   ")
    assert refused.value.message == "请填写退回理由。"
    assert refused.value.errors == {"reasons": ["请填写退回理由。"]}
    assert ImplementationPlan.objects.get(pk=plan.pk).status == FilingStatus.FILED


def test_a_return_keeps_who_when_and_why_is_audited_and_tells_the_school(people, projects):
    plan = filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    before = timezone.now()
    returned = filing.review_plan(actor=people.county, plan=plan, action="return", reasons="  请细化实施步骤。 ")
    stored = ImplementationPlan.objects.get(pk=plan.pk)
    assert returned.status == stored.status == FilingStatus.RETURNED
    assert stored.reasons == "请细化实施步骤。" and stored.reviewed_by == people.county and stored.reviewed_at >= before
    entry = AuditEntry.objects.get(action="projects.implementation.return")
    assert entry.changes == {"status": [FilingStatus.FILED, FilingStatus.RETURNED]}
    assert entry.data == {"reasons": "请细化实施步骤。"}
    assert entry.actor_username == "a_county_filing" and entry.object_id == str(plan.pk)
    told = Notification.objects.get(user=people.school)
    assert told.kind == Kind.RESULT and told.title == f"{projects.a1.title}：实施方案被退回修改"
    assert told.url == f"/projects/{projects.a1.pk}/implementation/"


def test_an_acknowledgement_is_audited_and_tells_the_school(people, projects):
    plan = filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    filing.review_plan(actor=people.county, plan=plan, action="acknowledge")
    entry = AuditEntry.objects.get(action="projects.implementation.acknowledge")
    assert entry.changes == {"status": [FilingStatus.FILED, FilingStatus.ACKNOWLEDGED]} and entry.data == {
        "reasons": ""
    }
    assert Notification.objects.get(user=people.school).title == f"{projects.a1.title}：实施方案已备案"
    with pytest.raises(ServiceError) as again:
        filing.review_plan(actor=people.county, plan=plan, action="acknowledge")
    assert "已备案" in again.value.message


def test_a_filing_keeps_who_filed_and_an_acknowledged_plan_needs_no_second(people, projects):
    plan = filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    assert ImplementationPlan.objects.get(pk=plan.pk).filed_by == people.school
    filing.review_plan(actor=people.county, plan=plan, action="acknowledge")
    with pytest.raises(ServiceError) as refused:
        filing.file_plan(actor=people.school, project=projects.a1, sections=SECTIONS)
    assert refused.value.message == "实施方案第 1 版已备案，无需再次报备。"

"""Outcomes, rectification and acceptance through their services, at each edge: a reason and a report at
their length and one character more; a rectification filed on its last day is not late; a failed one is
recorded as 整改复核不通过; a round with no entries is not published; a project applies for acceptance only
into an open acceptance round of its own call taking applications, before its deadline, and only its
own earlier acceptances count against it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import outcomes
from evaluation.models import EvaluationRound, Outcome, RoundEntry, RoundKind
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from tests.evaluation.test_cycle import evaluated, open_round


@pytest.fixture
def decided(people, calls, experts, projects):
    return evaluated(people, calls, experts, projects.a1, people.school, [people.county, people.city])


def test_reasons_keep_a_thousand_characters_and_refuse_one_more(people, decided):
    with pytest.raises(ServiceError) as refusal:
        outcomes.decide(actor=people.admin, entry=decided, outcome=Outcome.REVOKE, reasons="由" * 1001)
    assert refusal.value.errors == {"reasons": ["理由不能超过 1000 字。"]}
    decision = outcomes.decide(actor=people.admin, entry=decided, outcome=Outcome.REVOKE, reasons="由" * 1000)
    assert len(decision.reasons) == 1000


def test_a_pass_needs_its_grade_when_the_round_grades(people, decided):
    with pytest.raises(ServiceError) as refusal:
        outcomes.decide(actor=people.admin, entry=decided, outcome=Outcome.PASS, grade="极好")
    assert refusal.value.errors == {"grade": ["请评定等级（优秀、良好或合格）。"]}
    EvaluationRound.objects.filter(pk=decided.round_id).update(grades=False)
    decided = RoundEntry.objects.get(pk=decided.pk)
    assert outcomes.decide(actor=people.admin, entry=decided, outcome=Outcome.PASS, grade="优秀").grade == ""


@pytest.fixture
def rectifying(people, decided):
    outcomes.decide(
        actor=people.admin,
        entry=decided,
        outcome=Outcome.RECTIFY,
        reasons="培训不足。",
        rectify_by=timezone.localdate() + timedelta(days=30),
        rectify_items="补齐培训",
    )
    return decided.rectifications.get()


def test_a_rectification_report_keeps_three_thousand_characters(people, rectifying):
    for empty in ("", "  "):
        with pytest.raises(ServiceError) as refusal:
            outcomes.file_rectification(actor=people.school, rectification=rectifying, report=empty)
        assert (refusal.value.message, refusal.value.errors) == ("请填写整改报告。", {"report": ["请填写整改报告。"]})
    with pytest.raises(ServiceError) as refusal:
        outcomes.file_rectification(actor=people.school, rectification=rectifying, report="改" * 3001)
    assert refusal.value.message == "整改报告过长。"
    assert refusal.value.errors == {"report": ["整改报告不能超过 3000 字（现为 3001 字）。"]}
    filed = outcomes.file_rectification(actor=people.school, rectification=rectifying, report="改" * 3000)
    assert len(filed.report) == 3000 and filed.filed_by == people.school
    entry = AuditEntry.objects.get(action="evaluation.rectification.file")
    assert (entry.actor_id, entry.object_id) == (people.school.pk, str(rectifying.entry.project_id))
    assert entry.changes == {"status": ["due", "filed"]}
    assert entry.data == {"rectification": rectifying.pk, "late": False}
    with pytest.raises(ServiceError, match="^整改报告已提交。$"):
        outcomes.file_rectification(actor=people.school, rectification=rectifying, report="再交一次")


@pytest.mark.parametrize("days, late", [(0, False), (-1, True)])
def test_a_report_filed_on_the_last_day_is_not_late(people, rectifying, days, late):
    type(rectifying).objects.filter(pk=rectifying.pk).update(due_on=timezone.localdate() + timedelta(days=days))
    outcomes.file_rectification(actor=people.school, rectification=rectifying, report="已整改。")
    assert AuditEntry.objects.get(action="evaluation.rectification.file").data["late"] is late


@pytest.mark.parametrize(
    "passed, reason, status", [(True, "整改复核通过", "passed"), (False, "整改复核不通过", "failed")]
)
def test_the_review_of_a_rectification_says_which_way_it_went(people, rectifying, passed, reason, status):
    outcomes.file_rectification(actor=people.school, rectification=rectifying, report="已整改。")
    decision = outcomes.review_rectification(
        actor=people.admin,
        rectification=type(rectifying).objects.get(pk=rectifying.pk),
        passed=passed,
        grade="合格",
        reasons="复核意见。",
    )
    assert decision.change_reason == reason
    entry = AuditEntry.objects.get(action="evaluation.rectification.review")
    assert (entry.actor_id, entry.object_id) == (people.admin.pk, str(rectifying.entry.project_id))
    assert entry.changes == {"status": ["filed", status]} and entry.data == {"rectification": rectifying.pk}


def test_a_round_without_entries_is_not_published_and_one_with_undecided_entries_says_how_many(
    people, calls, experts, projects
):
    empty = open_round(people, calls, experts, chosen=[projects.a1])
    RoundEntry.objects.filter(round=empty).delete()
    with pytest.raises(ServiceError, match="^本批次没有参评项目。$"):
        outcomes.publish(actor=people.admin, round_=empty)
    waiting = open_round(people, calls, experts, chosen=[projects.a1, projects.b1])
    with pytest.raises(ServiceError, match="尚有 2 个项目未作出结论，不能公布"):
        outcomes.publish(actor=people.admin, round_=waiting)


def test_publishing_is_audited_and_tells_each_project(people, decided):
    from portal.notifications.models import Kind, Notification

    outcomes.decide(actor=people.admin, entry=decided, outcome=Outcome.PASS, grade="优秀")
    outcomes.publish(actor=people.admin, round_=decided.round)
    entry = AuditEntry.objects.get(action="evaluation.round.publish")
    assert (entry.actor_id, entry.object_id) == (people.admin.pk, str(decided.round_id))
    assert entry.changes == {"status": ["open", "published"]}
    told = Notification.objects.get(user=people.school, kind=Kind.RESULT, title__contains="结论为通过")
    assert told.url == f"/evaluation/entries/{decided.pk}/"  # the result is one click away
    with pytest.raises(ServiceError, match="^评估结果已公布。$"):
        outcomes.publish(actor=people.admin, round_=decided.round)


@pytest.fixture
def acceptance(people, calls, experts):
    return open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")


def test_acceptance_is_applied_for_only_into_an_open_acceptance_round_of_the_projects_call(
    people, calls, experts, projects, acceptance, tree
):
    from tests.fixtures.projects import make_project

    refused = "该评估批次不接受本项目的验收申请。"
    # Rounds the round form would not open as such; made by changing a round that takes applications.
    midterm = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    EvaluationRound.objects.filter(pk=midterm.pk).update(kind=RoundKind.MIDTERM)
    chosen = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    EvaluationRound.objects.filter(pk=chosen.pk).update(selection="chosen")
    midterm, chosen = EvaluationRound.objects.get(pk=midterm.pk), EvaluationRound.objects.get(pk=chosen.pk)
    national = make_project(calls.national, tree.school_a2, title="国家级项目")
    from portal.orgs.choices import Role
    from tests.factories import make_user

    a2 = make_user(Role.SCHOOL_APPLICANT, tree.school_a2, username="acc_a2")
    for actor, round_, project in (
        (people.school, midterm, projects.a1),
        (people.school, chosen, projects.a1),
        (a2, acceptance, national),
    ):
        with pytest.raises(ServiceError) as refusal:
            outcomes.apply_for_acceptance(actor=actor, round_=round_, project=project)
        assert refusal.value.message == refused
    EvaluationRound.objects.filter(pk=acceptance.pk).update(self_due_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ServiceError, match="^验收申请已截止。$"):
        outcomes.apply_for_acceptance(
            actor=people.school, round_=EvaluationRound.objects.get(pk=acceptance.pk), project=projects.a1
        )
    EvaluationRound.objects.filter(pk=acceptance.pk).update(
        self_due_at=timezone.now() + timedelta(days=1), status="published"
    )
    with pytest.raises(ServiceError, match="^验收申请已截止。$"):
        outcomes.apply_for_acceptance(
            actor=people.school, round_=EvaluationRound.objects.get(pk=acceptance.pk), project=projects.a1
        )


def test_only_the_projects_own_earlier_acceptances_count_against_it(people, calls, experts, projects, acceptance):
    # b1 failed acceptance twice; a1 has never applied: a1 applies as its first attempt.
    for _ in range(2):
        round_ = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
        RoundEntry.objects.create(round=round_, project=projects.b1, status="decided", outcome=Outcome.FAIL)
    entry = outcomes.apply_for_acceptance(actor=people.school, round_=acceptance, project=projects.a1)
    assert entry.attempt == 1
    audit = AuditEntry.objects.get(action="evaluation.acceptance.apply")
    assert (audit.actor_id, audit.object_id) == (people.school.pk, str(projects.a1.pk))
    assert audit.data == {"entry": entry.pk, "attempt": 1}
    # A project's own mid-term entries are no acceptances either.
    RoundEntry.objects.filter(pk=entry.pk).update(status="decided", outcome=Outcome.FAIL)
    midterm = open_round(people, calls, experts, chosen=[projects.a1])
    RoundEntry.objects.filter(round=midterm).update(status="decided", outcome=Outcome.FAIL)
    again = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    assert outcomes.apply_for_acceptance(actor=people.school, round_=again, project=projects.a1).attempt == 2


def test_a_decision_is_numbered_records_only_what_its_outcome_needs_and_is_audited(people, decided, projects):
    from portal.notifications.models import Notification

    first = outcomes.decide(
        actor=people.admin,
        entry=decided,
        outcome=Outcome.PASS,
        grade="良好",
        rectify_by=timezone.localdate() + timedelta(days=30),
        rectify_items="不该记下",
    )
    assert (first.number, first.rectify_by, first.rectify_items, first.frozen_amount) == (1, None, [], None)
    entry = AuditEntry.objects.get(action="evaluation.decide")
    assert (entry.actor_id, entry.object_id) == (people.admin.pk, str(projects.a1.pk))
    assert entry.changes == {"outcome": ["", "pass"], "grade": ["", "良好"]}
    assert entry.data == {
        "entry": decided.pk,
        "decision": 1,
        "reasons": "",
        "change_reason": "",
        "rectify_by": "",
        "items": [],
        "frozen": None,
    }
    assert not Notification.objects.filter(user=people.school, title__contains="通过").exists()  # not yet published
    second = outcomes.decide(
        actor=people.admin,
        entry=RoundEntry.objects.get(pk=decided.pk),
        outcome=Outcome.REVOKE,
        reasons="复议。",
        change_reason="复议后撤销。",
    )
    assert (second.number, second.frozen_amount) == (2, None)  # no plan: nothing to freeze
    change = AuditEntry.objects.get(action="evaluation.decide.change")
    assert change.changes == {"outcome": ["pass", "revoke"], "grade": ["良好", ""]}
    assert change.data["change_reason"] == "复议后撤销。" and change.data["decision"] == 2
    status = AuditEntry.objects.get(action="projects.status")
    assert (status.actor_id, status.changes, status.data) == (
        people.admin.pk,
        {"status": ["running", "terminated"]},
        {"decision": second.pk},
    )


def test_an_ordered_rectification_is_told_at_once(people, decided):
    from portal.notifications.models import Kind, Notification

    due = timezone.localdate() + timedelta(days=30)
    outcomes.decide(
        actor=people.admin,
        entry=decided,
        outcome=Outcome.RECTIFY,
        reasons="培训不足。",
        rectify_by=due,
        rectify_items="补齐培训\n提交记录",
    )
    note = Notification.objects.get(user=people.school, kind=Kind.RESULT)
    assert note.url == f"/evaluation/entries/{decided.pk}/" and note.body == "培训不足。"
    audit = AuditEntry.objects.get(action="evaluation.decide")
    assert (audit.data["rectify_by"], audit.data["items"]) == (str(due), ["补齐培训", "提交记录"])


def test_a_project_not_running_may_not_apply_and_is_told_its_status(people, projects, acceptance):
    from portal.programmes.choices import ProjectStatus
    from portal.programmes.models import Project

    Project.objects.filter(pk=projects.a1.pk).update(status=ProjectStatus.ACCEPTED)
    with pytest.raises(ServiceError) as refusal:
        outcomes.apply_for_acceptance(
            actor=people.school, round_=acceptance, project=Project.objects.get(pk=projects.a1.pk)
        )
    assert refusal.value.message == "项目状态为“已验收”，不能申请验收。"


def test_an_acceptance_in_progress_or_the_third_is_refused_and_says_why(people, calls, experts, projects, acceptance):
    outcomes.apply_for_acceptance(actor=people.school, round_=acceptance, project=projects.a1)
    with pytest.raises(ServiceError, match="^本项目的验收申请正在办理中。$"):
        outcomes.apply_for_acceptance(actor=people.school, round_=acceptance, project=projects.a1)
    RoundEntry.objects.filter(round=acceptance).update(status="decided", outcome=Outcome.FAIL)
    second = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    RoundEntry.objects.create(round=second, project=projects.a1, status="decided", outcome=Outcome.FAIL, attempt=2)
    third = open_round(people, calls, experts, kind=RoundKind.ACCEPTANCE, selection="applied")
    with pytest.raises(ServiceError, match="^验收不通过后只可在整改后再申请一次，本项目已申请过两次。$"):
        outcomes.apply_for_acceptance(actor=people.school, round_=third, project=projects.a1)


def test_after_failing_a_project_applies_again_into_the_same_round_but_not_twice_for_one_attempt(
    people, projects, acceptance
):
    RoundEntry.objects.create(round=acceptance, project=projects.a1, status="decided", outcome=Outcome.FAIL)
    again = outcomes.apply_for_acceptance(actor=people.school, round_=acceptance, project=projects.a1)
    assert again.attempt == 2 and again.round_id == acceptance.pk
    RoundEntry.objects.filter(pk=again.pk).update(status="decided", outcome=Outcome.RECTIFY)
    with pytest.raises(ServiceError) as refusal:
        outcomes.apply_for_acceptance(actor=people.school, round_=acceptance, project=projects.a1)
    assert refusal.value.message == "本项目已在本批次申请验收。"


def test_a_failed_review_needs_no_grade_and_keeps_no_reasons_it_was_not_given(people, rectifying):
    outcomes.file_rectification(actor=people.school, rectification=rectifying, report="已\x00整改。")
    filed = type(rectifying).objects.get(pk=rectifying.pk)
    assert filed.report == "已整改。"  # a NUL is dropped, the text kept
    decision = outcomes.review_rectification(
        actor=people.admin, rectification=filed, passed=False, reasons="未整改到位。"
    )
    assert (decision.outcome, decision.grade, decision.reasons) == (Outcome.REVOKE, "", "未整改到位。")


def test_a_passed_review_keeps_no_reasons_it_was_not_given(people, rectifying):
    outcomes.file_rectification(actor=people.school, rectification=rectifying, report="已整改。")
    filed = type(rectifying).objects.get(pk=rectifying.pk)
    decision = outcomes.review_rectification(actor=people.admin, rectification=filed, passed=True, grade="合格")
    assert (decision.outcome, decision.grade, decision.reasons) == (Outcome.PASS, "合格", "")

"""The self-evaluation's files and its change list, rule by rule: a file is checked by its content and
refused at the field, at most ten live files (the tenth is taken, the eleventh refused; a removed one
frees its place), none after submission or by another school; each attachment is stored as uploaded
and audited with its digest. A refiled report lists exactly what changed since the version before,
the written parts and the self-scores alike."""

from __future__ import annotations

import hashlib

import pytest

from evaluation import selfeval
from evaluation.models import EvaluationFile, RoundEntry
from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.core.samples import blank_pdf
from tests.evaluation.test_cycle import TEXT, file_self_evaluation, open_round


@pytest.fixture
def entry(people, calls, experts, projects):
    return open_round(people, calls, experts, chosen=[projects.a1]).entries.get()


def test_an_attachment_is_stored_as_uploaded_and_audited_with_its_digest(people, entry):
    pdf = blank_pdf()
    made = selfeval.attach(actor=people.school, entry=entry, name="中期自评佐证.pdf", data=pdf)
    stored = EvaluationFile.objects.get(pk=made.pk)
    assert stored.entry_id == entry.pk and stored.original_name == "中期自评佐证.pdf"
    assert stored.content_type == "application/pdf" and stored.size == len(pdf)
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest() and stored.uploaded_by == people.school
    entry_log = AuditEntry.objects.get(action="evaluation.selfeval.attach")
    assert entry_log.data == {"entry": entry.pk, "file": made.pk, "name": "中期自评佐证.pdf", "sha256": stored.sha256}
    assert entry_log.object_id == str(entry.project_id) and entry_log.actor_username == "s_a1"


def test_a_disguised_file_is_refused_at_the_field(people, entry):
    with pytest.raises(ServiceError) as refused:
        selfeval.attach(actor=people.school, entry=entry, name="佐证.pdf", data=b"MZ\x90\x00 an executable")
    assert "不是允许的文件类型" in refused.value.message
    assert refused.value.errors == {"file": [refused.value.message]}
    assert not EvaluationFile.objects.exists()


def test_the_tenth_file_is_taken_the_eleventh_refused_and_a_removed_one_frees_its_place(people, entry):
    made = [
        selfeval.attach(actor=people.school, entry=entry, name=f"佐证{n}.pdf", data=blank_pdf())
        for n in range(1, selfeval.FILES_MAX + 1)
    ]
    assert len(made) == 10
    with pytest.raises(ServiceError) as refused:
        selfeval.attach(actor=people.school, entry=entry, name="佐证11.pdf", data=blank_pdf())
    assert refused.value.message == "附件最多 10 个。" and refused.value.errors == {"file": ["附件最多 10 个。"]}
    selfeval.detach(actor=people.school, entry=entry, file=made[0])
    assert EvaluationFile.objects.get(pk=made[0].pk).removed_at is not None
    assert AuditEntry.objects.get(action="evaluation.selfeval.detach").data == {"entry": entry.pk, "file": made[0].pk}
    selfeval.attach(actor=people.school, entry=entry, name="佐证11.pdf", data=blank_pdf())
    assert selfeval.live_files(entry).count() == 10


def test_no_file_after_submission_nor_from_another_school(people, entry):
    with pytest.raises(PermissionError):
        selfeval.attach(actor=people.school_b, entry=entry, name="佐证.pdf", data=blank_pdf())
    kept = selfeval.attach(actor=people.school, entry=entry, name="佐证.pdf", data=blank_pdf())
    file_self_evaluation(RoundEntry.objects.get(pk=entry.pk), people.school)
    submitted = RoundEntry.objects.get(pk=entry.pk)
    with pytest.raises(ServiceError, match="已提交"):
        selfeval.attach(actor=people.school, entry=submitted, name="补充.pdf", data=blank_pdf())
    with pytest.raises(ServiceError, match="已提交"):
        selfeval.detach(actor=people.school, entry=submitted, file=kept)
    assert list(selfeval.live_files(submitted)) == [kept]


def test_a_first_version_has_no_change_list(people, entry):
    file_self_evaluation(entry, people.school)
    assert selfeval.changes(RoundEntry.objects.get(pk=entry.pk)) == []


def test_a_refiled_report_lists_what_changed_in_text_and_scores(people, entry):
    file_self_evaluation(entry, people.school, scores=("50", "30"))
    returned = selfeval.give_opinion(
        actor=people.county, entry=RoundEntry.objects.get(pk=entry.pk), agree=False, text="请补充问题分析。"
    )
    assert returned.status == "due"
    again = selfeval.save_draft(
        actor=people.school,
        entry=returned,
        raw={**TEXT, "problems": "教师培训需加强；经费执行偏慢。", "self_1": "50", "self_2": "35"},
        expected_version=returned.lock_version,
    )
    selfeval.submit(actor=people.school, entry=again)
    assert selfeval.changes(RoundEntry.objects.get(pk=entry.pk)) == [
        {"label": "存在问题与下一步措施", "before": "教师培训需加强。", "after": "教师培训需加强；经费执行偏慢。"},
        {"label": "自评得分：绩效目标完成", "before": "30", "after": "35"},
    ]


def test_a_file_of_another_entry_is_not_removed_through_this_one(people, calls, experts, projects, entry):
    other = open_round(people, calls, experts, chosen=[projects.b1]).entries.get()
    theirs = selfeval.attach(actor=people.school_b, entry=other, name="隆安佐证.pdf", data=blank_pdf())
    selfeval.detach(actor=people.school, entry=entry, file=theirs)
    assert EvaluationFile.objects.get(pk=theirs.pk).removed_at is None
    logged = AuditEntry.objects.get(action="evaluation.selfeval.detach")
    assert logged.object_id == str(entry.project_id) and logged.actor_username == "s_a1"


# ---- the levels' opinions ----


def test_an_opinion_is_refused_at_its_field_empty_or_over_five_hundred_characters(people, entry):
    submitted = file_self_evaluation(entry, people.school).entry
    for text, agree, error in ((None, True, "请填写意见。"), (" \x00 ", False, "请填写退回理由。")):
        with pytest.raises(ServiceError) as refused:
            selfeval.give_opinion(actor=people.county, entry=submitted, agree=agree, text=text)
        assert (refused.value.message, refused.value.errors) == ("请填写意见。", {"opinion": [error]})
    with pytest.raises(ServiceError) as refused:
        selfeval.give_opinion(actor=people.county, entry=submitted, agree=True, text="见" * 501)
    assert refused.value.message == "意见过长。"
    assert refused.value.errors == {"opinion": ["意见不能超过 500 字（现为 501 字）。"]}
    passed = selfeval.give_opinion(actor=people.county, entry=submitted, agree=True, text="同\x00意" + "见" * 498)
    opinion = RoundEntry.objects.get(pk=passed.pk).opinions["county"]
    assert (opinion["org"], opinion["text"], opinion["by"]) == (
        people.county.organisation.name,
        "同意" + "见" * 498,
        people.county.display_name,
    )
    logged = AuditEntry.objects.get(action="evaluation.selfeval.opinion")
    assert (logged.actor_id, logged.object_id) == (people.county.pk, str(entry.project_id))
    assert logged.data == {"entry": entry.pk, "level": "county", "text": "同意" + "见" * 498}
    with pytest.raises(ServiceError) as refused:  # the county has given its opinion; the city's turn now
        selfeval.give_opinion(actor=people.county, entry=submitted, agree=True, text="再签一次")
    assert refused.value.message == "自评报告已由他人处理，请刷新页面。"

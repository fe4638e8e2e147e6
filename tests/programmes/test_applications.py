"""Eligibility, drafts and conflicts, submission, withdrawal, return and versions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.core.exceptions import Conflict, ServiceError
from portal.orgs.choices import Role
from portal.programmes.choices import Status, Step
from portal.programmes.models import Application, CallDeadline
from portal.programmes.services.applications import (
    save_draft,
    start_application,
    submit_application,
    withdraw_application,
)
from portal.review.services.decisions import Decision, decide
from tests.factories import make_user
from tests.programmes.helpers import PDF, complete_application


def return_application(*, actor, application, reason):
    decide(actor=actor, application=application, decision=Decision(outcome="return", text="退回修改", reasons=reason))


# --- eligibility -------------------------------------------------------------------------------


def _refused(actor, call, message):
    with pytest.raises(ServiceError) as refusal:
        start_application(actor=actor, call=call)
    assert message in refusal.value.message


def test_a_call_not_yet_open_is_refused(calls, school_user):
    calls.guangxi.opens_at = timezone.now() + timedelta(days=2)
    calls.guangxi.save()
    _refused(school_user, calls.guangxi, "起开始申报")


def test_a_passed_deadline_is_refused(calls, school_user):
    CallDeadline.objects.filter(call=calls.guangxi, step=Step.SUBMIT).update(due_at=timezone.now() - timedelta(hours=1))
    _refused(school_user, calls.guangxi, "申报已于")


def test_an_unpublished_call_is_refused(calls, school_user):
    calls.guangxi.is_published = False
    calls.guangxi.save()
    _refused(school_user, calls.guangxi, "尚未发布")


def test_a_school_may_not_apply_to_a_zone_only_call(calls, school_user):
    _refused(
        school_user, calls.national, "本批次只接受以下单位申报：实验区（县、市、区教育局）、实验区（设区市教育局）"
    )


def test_an_organisation_outside_the_calls_area_is_refused(calls, tree):
    shanxi = make_user(Role.SCHOOL_APPLICANT, tree.other_school)
    _refused(shanxi, calls.guangxi, "不在“广西壮族自治区教育厅”组织的申报范围内")


def test_an_excluded_organisation_is_refused(calls, school_user):
    calls.guangxi.excluded_organisations.add(school_user.organisation)
    _refused(school_user, calls.guangxi, "本单位不得申报本批次")


def test_an_organisation_approved_in_an_excluded_call_is_refused(calls, bureau_user):
    earlier = start_application(actor=bureau_user, call=calls.national)
    Application.objects.filter(pk=earlier.pk).update(status=Status.APPROVED)
    _refused(bureau_user, calls.guangxi, "已在“2019年“基于教学改革、融合信息技术的新型教与学模式”实验区推荐遴选”中立项")


def test_a_second_application_in_the_same_call_is_refused(calls, school_user):
    start_application(actor=school_user, call=calls.guangxi)
    _refused(school_user, calls.guangxi, "每个单位只能申报一份")


def test_submission_after_the_deadline_is_refused(calls, school_user):
    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    CallDeadline.objects.filter(call=calls.guangxi, step=Step.SUBMIT).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ServiceError, match="申报已于"):
        submit_application(actor=school_user, application=application)


def test_a_reviewer_cannot_start_an_application(calls, role_users):
    with pytest.raises(ServiceError, match="没有申报权限"):
        start_application(actor=role_users[Role.COUNTY_REVIEWER], call=calls.guangxi)


# --- drafts -------------------------------------------------------------------------------------


def test_a_draft_keeps_invalid_input_and_reports_it(calls, school_user, client):
    application = start_application(actor=school_user, call=calls.guangxi)
    assert application.data["org_name"] == school_user.organisation.name  # prefilled from the organisation
    client.force_login(school_user)
    response = client.post(
        reverse("programmes:application_autosave", args=[application.pk]),
        {"_lock_version": application.lock_version, "students": "约两千", "experiment_name": "甲" * 31},
    )
    assert response.status_code == 200
    assert response.json()["errors"]["students"] == ["「在校学生数」请填写整数。"]
    application.refresh_from_db()
    assert application.data["students"] == "约两千" and application.data["experiment_name"] == "甲" * 31


def test_two_editors_of_one_draft_get_a_conflict_instead_of_overwriting(calls, school_user, tree):
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="覃明")
    application = start_application(actor=school_user, call=calls.guangxi)
    loaded = application.lock_version
    save_draft(actor=colleague, application=application, raw={"classes": "36"}, expected_version=loaded)
    with pytest.raises(Conflict) as conflict:
        save_draft(actor=school_user, application=application, raw={"classes": "40"}, expected_version=loaded)
    assert "覃明" in conflict.value.message
    application.refresh_from_db()
    assert application.data["classes"] == "36"


def test_the_web_form_answers_409_and_keeps_the_users_input(calls, school_user, client, tree):
    application = start_application(actor=school_user, call=calls.guangxi)
    stale = application.lock_version
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="覃明")
    save_draft(actor=colleague, application=application, raw={"classes": "36"}, expected_version=stale)
    client.force_login(school_user)
    edit = reverse("programmes:application_edit", args=[application.pk])
    response = client.post(edit, {"_lock_version": stale, "experiment_name": "我刚写的名称", "action": "save"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="conflict"' in page and "我刚写的名称" in page
    autosave = client.post(
        reverse("programmes:application_autosave", args=[application.pk]), {"_lock_version": stale, "classes": "40"}
    )
    assert autosave.status_code == 409 and "current_version" in autosave.json()


def test_one_editors_own_saves_never_conflict_with_each_other(calls, school_user, client, tree):
    """Type, click 上传 before the autosave fires, then 提交: the page's autosave (sent as it unloads),
    the upload and the next save all come from the same person and must not collide."""
    from portal.core.samples import blank_pdf

    application = start_application(actor=school_user, call=calls.guangxi)
    loaded = application.lock_version
    client.force_login(school_user)
    autosave = reverse("programmes:application_autosave", args=[application.pk])
    assert client.post(autosave, {"_lock_version": loaded, "classes": "36"}).status_code == 200  # the unload save
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post(
        reverse("programmes:attachment_upload", args=[application.pk]),
        {"purpose": "evidence", "field": "", "file": SimpleUploadedFile("说明.pdf", blank_pdf())},
    )
    assert upload.status_code in (200, 302)
    # The page the user is on still carries the version it was loaded with.
    response = client.post(autosave, {"_lock_version": loaded, "classes": "40"})
    assert response.status_code == 200, response.content.decode()
    application.refresh_from_db()
    assert application.data["classes"] == "40"
    # The same account in another browser is another editor: its stale save is a conflict.
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(school_user)
    assert elsewhere.post(autosave, {"_lock_version": loaded, "classes": "39"}).status_code == 409
    # A colleague's save in between is still a conflict for her.
    colleague = make_user(Role.SCHOOL_APPLICANT, tree.school_a1, real_name="覃明")
    save_draft(
        actor=colleague, application=application, raw={"classes": "41"}, expected_version=application.lock_version
    )
    assert client.post(autosave, {"_lock_version": application.lock_version - 1, "classes": "42"}).status_code == 409


def test_autosave_after_the_session_ended_answers_401_in_json(calls, school_user, client):
    application = start_application(actor=school_user, call=calls.guangxi)
    response = client.post(
        reverse("programmes:application_autosave", args=[application.pk]),
        {"_lock_version": application.lock_version, "classes": "40"},
    )
    assert response.status_code == 401
    assert "登录已过期" in response.json()["error"]


def test_autosave_works_again_after_signing_in_again(calls, school_user, client):
    application = start_application(actor=school_user, call=calls.guangxi)
    url = reverse("programmes:application_autosave", args=[application.pk])
    assert client.post(url, {"_lock_version": application.lock_version, "classes": "40"}).status_code == 401
    client.force_login(school_user)
    response = client.post(url, {"_lock_version": application.lock_version, "classes": "40"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.data["classes"] == "40"


# --- submission, withdrawal, return, versions ----------------------------------------------------


def test_submission_lists_every_error_at_its_field(calls, school_user, client):
    application = start_application(actor=school_user, call=calls.guangxi)
    client.force_login(school_user)
    response = client.post(
        reverse("programmes:application_edit", args=[application.pk]),
        {"_lock_version": application.lock_version, "action": "submit", "students": "abc"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#field-students">「在校学生数」请填写整数。' in page
    assert "「工作基础」须提供必要支撑材料，请上传至少一个附件。" in page
    assert 'data-error-for="head_mobile">请填写「负责人手机」。' in page
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.data["students"] == "abc"


def test_submitted_versions_are_immutable_and_hashed(calls, school_user):
    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    version = submit_application(actor=school_user, application=application)
    import hashlib

    assert version.content["attachments"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(ServiceError, match="不能修改"):
        save_draft(
            actor=school_user, application=application, raw={"classes": "1"}, expected_version=application.lock_version
        )
    entry = AuditEntry.objects.filter(action="programmes.application.submit").get()
    assert entry.changes == {"status": ["draft", "submitted"]} and entry.data["sha256"] == version.sha256


def test_the_applicant_may_withdraw_before_the_first_review_but_not_after(calls, school_user, role_users):
    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    submit_application(actor=school_user, application=application)
    withdraw_application(actor=school_user, application=application)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    submit_application(actor=school_user, application=application)
    return_application(actor=role_users[Role.COUNTY_REVIEWER], application=application, reason="请补充工作基础")
    application.refresh_from_db()
    submit_application(actor=school_user, application=application)
    with pytest.raises(ServiceError, match="审核已经开始"):
        withdraw_application(actor=school_user, application=application)


def test_a_reviewer_outside_the_scope_cannot_return(calls, school_user, tree):
    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    submit_application(actor=school_user, application=application)
    other_county = make_user(Role.COUNTY_REVIEWER, tree.county_b)
    with pytest.raises(ServiceError, match="不是您审核的环节"):
        return_application(actor=other_county, application=application, reason="x")


def test_a_returned_application_resubmitted_is_a_new_version_and_reviewers_see_the_changes(
    calls, school_user, role_users, client
):
    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    first = submit_application(actor=school_user, application=application)
    reviewer = role_users[Role.COUNTY_REVIEWER]
    return_application(actor=reviewer, application=application, reason="实验名称过于笼统")
    application.refresh_from_db()
    save_draft(
        actor=school_user,
        application=application,
        raw={"experiment_name": "基于智慧课堂的精准教学实验"},
        expected_version=application.lock_version,
    )
    second = submit_application(actor=school_user, application=application)
    assert (first.number, second.number) == (1, 2) and first.sha256 != second.sha256
    client.force_login(reviewer)
    detail = client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()
    assert "第 1 版 → 第 2 版：修改了 1 处" in detail
    compare = client.get(reverse("programmes:application_compare", args=[application.pk])).content.decode()
    assert "基于智慧课堂的精准教学实验" in compare and '<th scope="row">实验名称</th>' in compare


def test_reviewers_do_not_see_drafts(calls, school_user, role_users, client):
    application = start_application(actor=school_user, call=calls.guangxi)
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    assert client.get(reverse("programmes:application_detail", args=[application.pk])).status_code == 404


def test_application_list_queries_do_not_grow_with_rows(calls, tree, role_users, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_org

    province_admin = role_users[Role.PROVINCE_ADMIN]
    client.force_login(province_admin)

    def make(n, start=0):
        for i in range(start, start + n):
            school = make_org(f"24501029{i:02d}", "school", tree.county_a, name=f"测试学校{i}")
            user = make_user(Role.SCHOOL_APPLICANT, school)
            app = start_application(actor=user, call=calls.guangxi)
            Application.objects.filter(pk=app.pk).update(version_count=1, status=Status.SUBMITTED)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("programmes:application_list")).status_code == 200
        return len(ctx)

    make(1)
    one = count()
    make(49, start=1)
    assert count() == one


def test_withdrawing_on_the_page_asks_for_confirmation_first(client, calls, school_user):
    application = complete_application(start_application(actor=school_user, call=calls.guangxi), school_user)
    submit_application(actor=school_user, application=application)
    client.force_login(school_user)
    url = reverse("programmes:application_withdraw", args=[application.pk])
    detail = client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a button that withdraws
    for response in (client.get(url), client.post(url), client.post(url, {"confirm": "no"})):
        assert response.status_code == 200 and "确认撤回申请？" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status != Status.SUBMITTED

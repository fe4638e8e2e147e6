"""The review pages, the public notice, notifications, reminders, seals and the API."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.core.samples import blank_pdf
from portal.formspec.registry import schema_for
from portal.notifications.models import Notification
from portal.orgs.choices import Role
from portal.programmes.models import Application, ApplicationVersion
from portal.review.models import ListEntry, Objection, Opinion, RecommendationList, Seal
from portal.review.services import lists
from portal.review.services.decisions import Decision, decide
from portal.review.services.reminders import send_deadline_reminders
from portal.review.services.seals import current_seal
from tests.factories import make_org, make_user

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _many(calls, tree, n, start=0, *, listed=None, stage="county"):
    """n submitted school applications waiting at `stage` (on `listed` if given), made directly."""
    schema = schema_for("guangxi_school")
    for i in range(start, start + n):
        school = make_org(f"24501028{i:02d}", "school", tree.county_a, name=f"测试学校{i}")
        app = Application.objects.create(
            call=calls.guangxi,
            applicant=school,
            applicant_kind="school",
            schema=schema,
            status="submitted",
            version_count=1,
            stage=stage,
            stage_since=timezone.now(),
            title=f"实验{i}",
        )
        version = ApplicationVersion.objects.create(
            application=app,
            number=1,
            schema=schema,
            sha256="0" * 64,
            submitted_at=timezone.now(),
            content={
                "values": {"org_name": school.name, "head_name": f"校长{i}", "contact_name": f"联系人{i}"},
                "computed": {},
                "attachments": [],
                "categories": [],
            },
        )
        if listed is not None:
            opinion = Opinion.objects.create(
                application=app,
                version=version,
                level="county",
                organisation=tree.county_a,
                outcome="recommend",
                text="推荐",
                signer_name="覃海燕",
                signed_on=timezone.localdate(),
                seal=current_seal(tree.county_a),
            )
            ListEntry.objects.create(list=listed, application=app, target="school", rank=i + 1, opinion=opinion)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_reviewer_pages_make_the_same_number_of_queries_at_1_and_50(calls, tree, role_users, client):
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    lst = RecommendationList.objects.create(call=calls.guangxi, organisation=tree.county_a, level="county")
    pages = [
        reverse("review:queue"),
        reverse("review:list_index"),
        reverse("review:list_detail", args=[lst.pk]),
        reverse("review:list_summary", args=[lst.pk]),
        reverse("core:dashboard"),
    ]
    _many(calls, tree, 1)
    _many(calls, tree, 1, start=60, listed=lst)
    one = [_queries(client, url) for url in pages]
    _many(calls, tree, 49, start=1)
    _many(calls, tree, 49, start=61, listed=lst)
    assert [_queries(client, url) for url in pages] == one
    assert "测试学校49" in client.get(reverse("review:queue")).content.decode()


@pytest.mark.parametrize("role, stage", [(Role.CITY_REVIEWER, "city"), (Role.PROVINCE_ADMIN, "province")])
def test_city_and_province_pages_make_the_same_number_of_queries_at_1_and_50(
    calls, tree, role_users, client, role, stage
):
    """The pages make bench measures at scale: dashboard, application list, queue, lists."""
    client.force_login(role_users[role])
    pages = [
        reverse("core:dashboard"),
        reverse("programmes:application_list"),
        reverse("review:queue"),
        reverse("review:list_index"),
    ]
    _many(calls, tree, 1, stage=stage)
    client.get(pages[0])
    one = [_queries(client, url) for url in pages]
    _many(calls, tree, 49, start=1, stage=stage)
    client.get(pages[0])  # the new schools changed the tree: its counts are cached again (orgs.selectors)
    assert [_queries(client, url) for url in pages] == one
    assert "测试学校49" in client.get(reverse("review:queue")).content.decode()


def test_a_reviewer_signs_on_the_review_page(calls, school_user, role_users, submitted, client):
    application = submitted(school_user, calls.guangxi)
    county = role_users[Role.COUNTY_REVIEWER]
    client.force_login(county)
    page = client.get(reverse("review:review", args=[application.pk])).content.decode()
    assert "县级教育行政部门推荐意见" in page and 'value="not_recommend"' in page and 'value="approve"' not in page
    url = reverse("review:review", args=[application.pk])
    response = client.post(
        url, {"outcome": "return", "text": "请修改", "reasons": "", "signer_name": "覃海燕", "signed_on": "2026-11-23"}
    )
    assert response.status_code == 200
    assert "请填写退回理由，申报单位将看到这些内容。" in response.content.decode()
    response = client.post(
        url, {"outcome": "recommend", "text": "同意推荐。", "signer_name": "覃海燕", "signed_on": "2026-11-23"}
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.signer_name, str(opinion.signed_on)) == ("覃海燕", "2026-11-23")
    # The applicant sees the signed box, with the county's seal, and the timeline.
    client.force_login(school_user)
    detail = client.get(reverse("programmes:application_detail", args=[application.pk])).content.decode()
    assert "同意推荐。" in detail and f'src="/review/seals/{opinion.seal_id}/image/"' in detail
    assert "推荐</span> · 县级教育行政部门 · 第1版" in detail  # the timeline
    seal = client.get(reverse("review:seal_image", args=[opinion.seal_id]))
    assert seal["Content-Type"] == "image/svg+xml" and "南宁市兴宁区教育局"[0] in seal.content.decode()


def test_bulk_recommend_reports_each_item(calls, tree, role_users, submitted, client):
    a = submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a1), calls.guangxi)
    b = submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a2), calls.guangxi)
    calls.guangxi.quotas.create(level="county", target="school", max_count=1)
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    response = client.post(
        reverse("review:queue"), {"action": "recommend", "text": "同意推荐。", "selected": [a.pk, b.pk]}
    )
    results = response.context["results"]
    assert [r["ok"] for r in results] == [True, False]
    assert "名额（1 个）" in results[1]["message"]
    assert Opinion.objects.count() == 1


def test_public_notice_takes_objections_without_an_account(calls, tree, school_user, role_users, submitted, client):
    application = submitted(school_user, calls.guangxi)
    decide(
        actor=role_users[Role.COUNTY_REVIEWER],
        application=application,
        decision=Decision(outcome="recommend", text="推荐"),
    )
    lists.send(actor=role_users[Role.COUNTY_REVIEWER], lst=RecommendationList.objects.get(level="county"))
    application.refresh_from_db()
    city = role_users[Role.CITY_REVIEWER]
    decide(actor=city, application=application, decision=Decision(outcome="recommend", text="推荐"))
    lst = RecommendationList.objects.get(level="city")
    now = timezone.now()
    lists.start_notice(actor=city, lst=lst, starts=now, ends=now + timedelta(days=5))
    url = reverse("public_notice", args=[lst.token])
    page = client.get(url).content.decode()
    assert tree.school_a1.name in page and "提出异议" in page
    lst.refresh_from_db()
    assert lst.notice_title in client.get(reverse("public_notices")).content.decode()
    response = client.post(url, {"name": "", "contact": "", "text": "短"})
    assert "请填写姓名。" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {
            "name": "李明",
            "contact": "13800000000",
            "application": application.pk,
            "text": "该校信息化投入数据与实际不符。",
            "file": SimpleUploadedFile("证明.pdf", blank_pdf()),
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.application == application and objection.file_name == "证明.pdf"
    assert AuditEntry.objects.filter(action="review.objection.lodge", actor_username="public").exists()
    assert Notification.objects.filter(user=city, kind="objection").exists()
    client.force_login(city)
    assert client.get(reverse("review:objection_file", args=[objection.pk]))["Content-Type"] == "application/pdf"
    client.post(
        reverse("review:objection_handle", args=[objection.pk]),
        {"outcome": "rejected", "handling": "经核查，异议不成立。"},
    )
    objection.refresh_from_db()
    assert objection.status == "handled" and objection.handled_by == city


def test_ranking_by_number_on_the_list_page(calls, tree, role_users, client):
    lst = RecommendationList.objects.create(call=calls.guangxi, organisation=tree.county_a, level="county")
    _many(calls, tree, 3, listed=lst)
    entries = list(lst.entries.order_by("rank"))
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    client.post(
        reverse("review:list_rank", args=[lst.pk]),
        {f"rank-{entries[0].pk}": "3", f"rank-{entries[1].pk}": "1", f"rank-{entries[2].pk}": "2"},
    )
    assert list(lst.entries.order_by("rank").values_list("pk", flat=True)) == [
        entries[1].pk,
        entries[2].pk,
        entries[0].pk,
    ]
    assert AuditEntry.objects.filter(action="review.list.rank").exists()


def test_deadline_reminders_reach_whoever_must_act_once(calls, tree, school_user, role_users, submitted, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    submitted(school_user, calls.guangxi)
    draft_school = make_user(Role.SCHOOL_APPLICANT, tree.school_a2, email="a2@example.cn")
    from portal.programmes.services.applications import start_application

    start_application(actor=draft_school, call=calls.guangxi)
    now = timezone.now()
    calls.guangxi.deadlines.filter(step="submit").update(due_at=now + timedelta(days=2, hours=3))
    calls.guangxi.deadlines.create(step="county", due_at=now + timedelta(hours=20))
    county = role_users[Role.COUNTY_REVIEWER]
    county.email = "county@example.cn"
    county.save()
    Notification.objects.all().delete()
    sent = send_deadline_reminders(now)
    notes = Notification.objects.filter(kind="deadline")
    assert {(n.user, n.title.split("：")[1]) for n in notes} == {
        (draft_school, "申报单位提交申请表将于3天内截止"),
        (county, "县级推荐将于1天内截止"),
    }
    assert sent == 2 and len(mail.outbox) == 2
    assert send_deadline_reminders(now + timedelta(hours=1)) == 0  # the daily run repeated: nothing twice
    assert school_user not in {n.user for n in notes}  # already submitted


def test_email_choices_are_respected(calls, role_users, client, settings):
    from portal.notifications.services import notify

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = role_users[Role.CITY_REVIEWER]
    user.email = "city@example.cn"
    user.save()
    client.force_login(user)
    client.post(reverse("notifications:settings"), {"to_review": "on", "result": "on", "objection": "on"})
    notify([user], kind="deadline", title="提醒")
    notify([user], kind="to_review", title="待审核")
    assert [m.subject for m in mail.outbox] == ["【有新的申请待审核】待审核"]
    page = client.get(reverse("notifications:list")).content.decode()
    assert "提醒" in page and "待审核" in page
    note = Notification.objects.get(title="提醒")
    client.post(reverse("notifications:open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_seal_is_replaced_by_a_scan_and_signed_opinions_keep_theirs(calls, tree, role_users, client):
    county = role_users[Role.COUNTY_REVIEWER]
    drawn = current_seal(tree.county_a)
    assert drawn.svg.count("<text") == len("南宁市兴宁区教育局") and "<polygon" in drawn.svg
    client.force_login(county)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("review:seal"), {"file": SimpleUploadedFile("seal.pdf", blank_pdf())})
    assert "公章须为 PNG 或 JPG 图片" in response.content.decode()
    client.post(reverse("review:seal"), {"file": SimpleUploadedFile("seal.png", PNG)})
    scan = current_seal(tree.county_a)
    assert scan.pk != drawn.pk and scan.is_uploaded and Seal.objects.get(pk=drawn.pk).retired_at is not None
    assert client.get(reverse("review:seal_image", args=[scan.pk]))["Content-Type"] == "image/png"
    assert AuditEntry.objects.filter(action="review.seal.replace").count() == 1


def test_api_decision_list_and_objections(calls, tree, school_user, role_users, submitted):
    from rest_framework.test import APIClient

    application = submitted(school_user, calls.guangxi)
    api = APIClient()
    api.force_authenticate(role_users[Role.CITY_REVIEWER])
    refused = api.post(
        reverse("api:application_decision", args=[application.pk]),
        {"outcome": "recommend", "text": "越级"},
        format="json",
    )
    assert refused.status_code == 400 and "不是您审核的环节" in refused.json()["detail"]
    api.force_authenticate(role_users[Role.COUNTY_REVIEWER])
    made = api.post(
        reverse("api:application_decision", args=[application.pk]),
        {"outcome": "recommend", "text": "同意推荐。"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["level"] == "county"
    lst = api.get(reverse("api:review_list_list")).json()["results"][0]
    assert lst["entries"][0]["application"] == application.pk
    assert (
        api.post(
            reverse("api:review_list_rank", args=[lst["id"]]), {"order": [lst["entries"][0]["id"]]}, format="json"
        ).status_code
        == 200
    )
    assert api.post(reverse("api:review_list_send", args=[lst["id"]])).status_code == 200
    timeline = api.get(reverse("api:application_timeline", args=[application.pk])).json()
    assert [t["code"] for t in timeline][-2:] == ["review.recommend", "review.forward"]
    other = APIClient()
    other.force_authenticate(make_user(Role.COUNTY_REVIEWER, tree.county_b))
    assert other.get(reverse("api:review_list_detail", args=[lst["id"]])).status_code == 404
    assert (
        other.post(
            reverse("api:application_decision", args=[application.pk]),
            {"outcome": "recommend", "text": "x"},
            format="json",
        ).status_code
        == 404
    )


@pytest.mark.parametrize("days,expected", [(0.5, 1), (2.5, 3), (3.5, None)])
def test_reminder_windows(days, expected):
    from portal.review.services.reminders import _window

    assert _window(days) == expected


def test_the_demo_gives_each_reviewer_something_to_do(db, settings):
    from io import StringIO

    from django.core.management import call_command

    from portal.orgs.models import User
    from portal.review.selectors import pending_applications

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # idempotent
    waiting = {
        name: [a.applicant.code for a in pending_applications(User.objects.get(username=name))]
        for name in ("gx_county", "gx_city", "gx_county2")
    }
    assert waiting == {"gx_county": ["2450102002"], "gx_city": ["2450102003"], "gx_county2": ["2450123001"]}


def test_objections_from_one_address_are_limited(calls, tree, role_users, client):
    from portal.review.views.public import OBJECTIONS_PER_HOUR

    lst = RecommendationList.objects.create(
        call=calls.guangxi,
        organisation=tree.city_a,
        level="city",
        status="notice",
        notice_title="公示",
        notice_starts=timezone.now() - timedelta(hours=1),
        notice_ends=timezone.now() + timedelta(days=5),
    )
    url = reverse("public_notice", args=[lst.token])
    data = {"name": "李明", "contact": "13800000000", "text": "该名单中的学校条件不符合，请核查。"}
    for _ in range(OBJECTIONS_PER_HOUR):
        assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert "提交过于频繁" in response.content.decode()
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR


def test_overdue_items_are_marked_in_the_queue_and_on_the_dashboard(calls, school_user, role_users, submitted, client):
    submitted(school_user, calls.guangxi)
    calls.guangxi.deadlines.create(step="county", due_at=timezone.now() - timedelta(hours=2))
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    queue = client.get(reverse("review:queue")).content.decode()
    assert 'data-testid="overdue"' in queue and "table-danger" in queue
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "已逾期 · 截止" in dashboard


def test_beat_runs_the_reminders_daily_and_the_task_returns_the_count(calls, school_user, settings):
    from portal.review.tasks import task_send_deadline_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    assert entry["task"] == task_send_deadline_reminders.name
    from portal.programmes.services.applications import start_application

    start_application(actor=school_user, call=calls.guangxi)
    calls.guangxi.deadlines.filter(step="submit").update(due_at=timezone.now() + timedelta(hours=30))
    # Both applicant accounts of the school that has not submitted yet.
    assert task_send_deadline_reminders.delay().get() == 2
    assert {n.user.organisation for n in Notification.objects.filter(kind="deadline")} == {school_user.organisation}


def test_api_objections_are_listed_and_handled_by_the_lists_owner_only(calls, tree, role_users):
    from rest_framework.test import APIClient

    lst = RecommendationList.objects.create(
        call=calls.guangxi,
        organisation=tree.city_a,
        level="city",
        status="notice",
        notice_title="公示",
        notice_starts=timezone.now() - timedelta(hours=1),
        notice_ends=timezone.now() + timedelta(days=5),
    )
    objection = Objection.objects.create(list=lst, name="李明", contact="13800000000", text="异议内容很具体。")
    api = APIClient()
    api.force_authenticate(role_users[Role.PROVINCE_ADMIN])  # sees the list, does not own it
    seen = api.get(reverse("api:review_list_objections", args=[lst.pk])).json()[0]
    assert (seen["name"], seen["contact"]) == ("（仅处理单位可见）", "（仅处理单位可见）")  # not the handling level
    refused = api.post(
        reverse("api:objection_handle", args=[objection.pk]), {"outcome": "rejected", "handling": "x"}, format="json"
    )
    assert refused.status_code == 400 and "只有名单所属单位" in refused.json()["detail"]
    api.force_authenticate(make_user(Role.CITY_REVIEWER, tree.city_c))
    assert api.get(reverse("api:review_list_objections", args=[lst.pk])).status_code == 404
    api.force_authenticate(role_users[Role.CITY_REVIEWER])
    assert api.get(reverse("api:review_list_objections", args=[lst.pk])).json()[0]["name"] == "李明"
    empty = api.post(
        reverse("api:objection_handle", args=[objection.pk]), {"outcome": "rejected", "handling": " "}, format="json"
    )
    assert empty.status_code == 400 and empty.json()["errors"]["handling"]
    done = api.post(
        reverse("api:objection_handle", args=[objection.pk]),
        {"outcome": "rejected", "handling": "经核查不成立。"},
        format="json",
    )
    assert done.status_code == 200 and (done.json()["status"], done.json()["outcome"]) == ("handled", "rejected")
    notice = api.post(reverse("api:review_list_notice", args=[lst.pk]), {}, format="json")
    assert notice.status_code == 400


def test_a_notice_whose_period_is_over_no_longer_says_it_is_running(
    calls, tree, school_user, role_users, submitted, client
):
    application = submitted(school_user, calls.guangxi)
    decide(
        actor=role_users[Role.COUNTY_REVIEWER],
        application=application,
        decision=Decision(outcome="recommend", text="推荐"),
    )
    lists.send(actor=role_users[Role.COUNTY_REVIEWER], lst=RecommendationList.objects.get(level="county"))
    application.refresh_from_db()
    city = role_users[Role.CITY_REVIEWER]
    decide(actor=city, application=application, decision=Decision(outcome="recommend", text="推荐"))
    lst = RecommendationList.objects.get(level="city")
    past = timezone.now() - timedelta(days=8)
    lists.start_notice(actor=city, lst=lst, starts=past, ends=past + timedelta(days=5), now=past)
    client.force_login(city)
    page = client.get(reverse("review:list_detail", args=[lst.pk])).content.decode()
    assert "公示期满，待上报" in page and "公示中" not in page and "（已结束）" in page
    assert "公示期满，待上报" in client.get(reverse("review:list_index")).content.decode()
    lists.send(actor=city, lst=lst)
    page = client.get(reverse("review:list_detail", args=[lst.pk])).content.decode()
    sent = re.search(r'data-testid="sent">([^<]*)<', page).group(1)
    assert re.fullmatch(r"已于 \d{4}年\d+月\d+日 \d\d:\d\d 上报（.+）。", sent), sent


def test_bulk_actions_offer_only_the_outcomes_of_the_reviewers_level(calls, tree, role_users, client):
    _many(calls, tree, 2)
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    page = client.get(reverse("review:queue")).content.decode()
    offered = re.findall(r'<option value="([a-z_]+)"', page[page.index('id="bulk-form"') :])
    assert offered == ["recommend", "return", "not_recommend"]
    ids = list(Application.objects.values_list("pk", flat=True))
    response = client.post(reverse("review:queue"), {"action": "approve", "text": "同意立项。", "selected": ids})
    assert "当前待审申请所在环节不能作出该结论。" in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_deciding_level_is_offered_the_decision_and_a_level_refusal_names_the_outcome(calls, tree, role_users):
    from portal.review.selectors import offered_outcomes

    _many(calls, tree, 1)
    application = Application.objects.get()
    assert offered_outcomes(role_users[Role.COUNTY_REVIEWER]) == {"recommend", "return", "not_recommend"}
    assert offered_outcomes(role_users[Role.CITY_REVIEWER]) == {"recommend", "return", "not_recommend"}
    # The province recommends at the expert level and decides at its own (the Guangxi chain ends there).
    assert offered_outcomes(role_users[Role.PROVINCE_ADMIN]) == {
        "recommend",
        "return",
        "not_recommend",
        "approve",
        "reject",
    }
    with pytest.raises(ServiceError) as refusal:
        decide(
            actor=role_users[Role.COUNTY_REVIEWER],
            application=application,
            decision=Decision(outcome="approve", text="同意"),
        )
    assert refusal.value.message == "县级教育行政部门不能作出“同意立项”的结论，可选：推荐、退回修改、不予推荐。"


def test_the_reviewers_page_lists_the_files_the_applicant_uploaded(
    calls, tree, school_user, role_users, submitted, client
):
    application = submitted(school_user, calls.guangxi)
    files = application.versions.get().content["attachments"]
    assert files  # complete_application uploads 支撑材料
    client.force_login(role_users[Role.COUNTY_REVIEWER])
    page = client.get(reverse("review:review", args=[application.pk])).content.decode()
    for record in files:
        link = reverse("programmes:attachment_download", args=[record["id"]])
        assert record["name"] in page and link in page
        assert client.get(link).status_code == 200
    field = files[0]["field"]
    listed = page[page.index(f'data-testid="attachments-{field}"') :]
    assert "尚未上传" not in listed[: listed.index("</ul>")]


def test_an_upheld_objection_takes_the_application_off_the_list_and_tells_the_applicant(
    calls, tree, school_user, role_users, submitted, client
):
    application = submitted(school_user, calls.guangxi)
    decide(
        actor=role_users[Role.COUNTY_REVIEWER],
        application=application,
        decision=Decision(outcome="recommend", text="推荐"),
    )
    lists.send(actor=role_users[Role.COUNTY_REVIEWER], lst=RecommendationList.objects.get(level="county"))
    application.refresh_from_db()
    city = role_users[Role.CITY_REVIEWER]
    decide(actor=city, application=application, decision=Decision(outcome="recommend", text="推荐"))
    lst = RecommendationList.objects.get(level="city")
    now = timezone.now()
    lists.start_notice(actor=city, lst=lst, starts=now, ends=now + timedelta(days=5))
    lst.refresh_from_db()
    from portal.review.services import objections

    objection = objections.lodge(
        lst=lst,
        name="李明",
        contact="13800000000",
        text="该校近三年信息化投入数据与财务账目不符。",
        application_id=application.pk,
        now=now + timedelta(hours=1),
    )
    client.force_login(role_users[Role.PROVINCE_ADMIN])  # sees the list, not the objector
    page = client.get(reverse("review:list_detail", args=[lst.pk])).content.decode()
    assert "李明" not in page and "13800000000" not in page and "仅处理单位可见" in page
    client.force_login(city)
    url = reverse("review:objection_handle", args=[objection.pk])
    client.post(url, {"outcome": "rejected", "remove": "yes", "handling": "经核查属实。"})
    assert ListEntry.objects.filter(list=lst, application=application).exists()  # refused: not upheld
    client.post(url, {"outcome": "upheld", "remove": "yes", "handling": "经核查，投入数据与财务账目不符。"})
    objection.refresh_from_db()
    application.refresh_from_db()
    assert (objection.outcome, objection.removed) == ("upheld", True)
    assert not ListEntry.objects.filter(list=lst, application=application).exists()
    assert (application.status, application.stage) == ("not_recommended", "")
    opinion = application.opinions.get(level="city", outcome="not_recommend")
    assert "经核查，投入数据与财务账目不符。" in opinion.text
    assert AuditEntry.objects.filter(action="review.objection.remove", object_id=str(application.pk)).exists()
    assert Notification.objects.filter(user=school_user, kind="result").exists()
    page = client.get(reverse("review:list_detail", args=[lst.pk])).content.decode()
    assert "异议成立" in page and "该申请已移出名单，不予推荐" in page


def test_a_notice_run_off_line_is_recorded_and_the_list_goes_up_once_its_period_is_over(
    calls, tree, school_user, role_users, submitted, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = submitted(school_user, calls.guangxi)
    decide(
        actor=role_users[Role.COUNTY_REVIEWER],
        application=application,
        decision=Decision(outcome="recommend", text="推荐"),
    )
    lists.send(actor=role_users[Role.COUNTY_REVIEWER], lst=RecommendationList.objects.get(level="county"))
    application.refresh_from_db()
    city = role_users[Role.CITY_REVIEWER]
    decide(actor=city, application=application, decision=Decision(outcome="recommend", text="推荐"))
    lst = RecommendationList.objects.get(level="city")
    client.force_login(city)
    assert 'data-testid="offline-notice"' in client.get(reverse("review:list_detail", args=[lst.pk])).content.decode()
    url = reverse("review:list_offline_notice", args=[lst.pk])
    start = timezone.localtime() - timedelta(days=3)
    fmt = "%Y-%m-%dT%H:%M"
    base = {
        "notice_starts": start.strftime(fmt),
        "notice_where": "南宁市教育局门户网站“通知公告”栏目",
        "notice_outcome": "公示期间未收到异议。",
    }
    page = client.post(url, {**base, "notice_ends": (start + timedelta(days=4)).strftime(fmt)}, follow=True)
    assert "公示时间不少于5天。" in page.content.decode()
    page = client.post(
        url, {**base, "notice_ends": (start + timedelta(days=5)).strftime(fmt), "notice_where": ""}, follow=True
    )
    assert "请填写公示地点或网址" in page.content.decode()
    client.post(
        url,
        {
            **base,
            "notice_ends": (start + timedelta(days=5)).strftime(fmt),
            "notice_scan": SimpleUploadedFile("公示.pdf", blank_pdf()),
        },
    )
    lst.refresh_from_db()
    assert (lst.status, lst.notice_offline, lst.notice_scan_name) == ("notice", True, "公示.pdf")
    assert AuditEntry.objects.filter(action="review.list.notice_offline").exists()
    assert client.get(reverse("review:list_notice_scan", args=[lst.pk]))["Content-Type"] == "application/pdf"
    # Not over yet (two more days): it cannot be cut short, and objections go where the notice said.
    with pytest.raises(ServiceError, match="公示期满后方可上报"):
        lists.send(actor=city, lst=lst)
    from portal.review.services import objections

    with pytest.raises(ServiceError, match="该名单在线下公示"):
        objections.lodge(lst=lst, name="李明", contact="13800000000", text="对名单中的学校有异议，情况如下。")
    public = client.get(reverse("public_notice", args=[lst.token])).content.decode()
    assert 'data-testid="notice-offline"' in public and 'data-testid="objection-form"' not in public
    lists.send(actor=city, lst=lst, now=start + timedelta(days=5, minutes=1))
    application.refresh_from_db()
    assert application.stage == "expert"

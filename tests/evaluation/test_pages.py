"""The evaluation pages as each role uses them: the organiser opens a round through its form, the school
files through the page (autosave, errors at the field, nothing lost), the county signs, an expert
scores blind, the leader signs, the province decides and publishes; confidentiality and scope."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import EntryStatus, EvaluationRound, EvaluationScore, RoundEntry
from tests.evaluation.test_cycle import TEXT, open_round


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_the_organiser_opens_a_round_through_the_page_with_errors_at_the_field(people, calls, experts, projects):
    admin = client_for(people.admin)
    assert admin.get(reverse("evaluation:round_create")).status_code == 200
    base = {
        "call": calls.guangxi.pk,
        "kind": "midterm",
        "title": "2026年中期评估",
        "selection": "chosen",
        "self_due_at": local(timezone.now() + timedelta(days=10)),
        "review_due_at": local(timezone.now() + timedelta(days=5)),
        "notice_days": "5",
        "grades": "on",
        "experts_per_project": "2",
        "leader": experts.huang.pk,
        "members": [experts.lu.pk, experts.huang.pk],
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
        "c-0-number": "1",
        "c-0-title": "实施进展",
        "c-0-max_points": "100",
        "c-0-weight": "1",
    }
    refused = admin.post(reverse("evaluation:round_create"), base)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "专家评审截止时间须晚于自评报告截止时间。" in html and "请选择参评项目。" in html
    assert 'value="2026年中期评估"' in html  # what was typed is kept
    assert not EvaluationRound.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.core.samples import blank_pdf

    disguised = admin.post(
        reverse("evaluation:round_create"),
        {
            **base,
            "review_due_at": local(timezone.now() + timedelta(days=20)),
            "chosen": [projects.a1.pk],
            "standards_file": SimpleUploadedFile("评估标准.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert disguised.status_code == 400 and not EvaluationRound.objects.exists()
    ok = admin.post(
        reverse("evaluation:round_create"),
        {
            **base,
            "review_due_at": local(timezone.now() + timedelta(days=20)),
            "chosen": [projects.a1.pk],
            "standards_file": SimpleUploadedFile("评估标准.pdf", blank_pdf()),
        },
    )
    round_ = EvaluationRound.objects.get()
    assert round_.standards_file_name == "评估标准.pdf"
    standards = client_for(people.school).get(reverse("evaluation:standards_file", args=[round_.pk]))
    assert standards.status_code == 200 and standards["Content-Type"] == "application/pdf"
    assert client_for(people.school_b).get(reverse("evaluation:standards_file", args=[round_.pk])).status_code == 404
    assert ok.status_code == 302 and ok["Location"] == reverse("evaluation:round", args=[round_.pk])
    assert list(round_.entries.values_list("project_id", flat=True)) == [projects.a1.pk]
    page = admin.get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert "兴宁区实验小学智慧课堂实验" in page and "待自评 <strong>1</strong>" in page


def test_the_cycle_through_the_pages_keeps_the_reviewers_hidden_from_the_project(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    url = reverse("evaluation:entry", args=[entry.pk])
    school = client_for(people.school)
    page = school.get(url).content.decode()
    assert "提交自评报告" in page and "实施进展（对照进度安排）" in page and "项目数据" in page
    # Autosave, then a submission with a missing section: refused at the field, what was typed kept.
    saved = school.post(
        reverse("evaluation:entry_autosave", args=[entry.pk]),
        {"_lock_version": "1", "progress": "完成第一阶段。", "self_1": "50"},
    )
    assert saved.status_code == 200 and saved.json()["lock_version"] == 2
    stale = school.post(
        reverse("evaluation:entry_autosave", args=[entry.pk]),
        {"_lock_version": "1", "progress": "x"},
    )
    assert stale.status_code == 200  # the same browser session's own saves never conflict
    other = client_for(people.school).post(
        reverse("evaluation:entry_autosave", args=[entry.pk]), {"_lock_version": "1", "progress": "另一窗口"}
    )
    assert other.status_code == 409
    refused = school.post(
        url,
        {
            "_lock_version": str(RoundEntry.objects.get(pk=entry.pk).lock_version),
            "action": "submit",
            **{**TEXT, "budget": ""},
            "self_1": "50",
            "self_2": "30",
        },
    )
    assert refused.status_code == 400
    assert "请填写“资金使用情况”。" in refused.content.decode() and "典型案例一则。" in refused.content.decode()
    done = school.post(
        url,
        {
            "_lock_version": str(RoundEntry.objects.get(pk=entry.pk).lock_version),
            "action": "submit",
            **TEXT,
            "self_1": "50",
            "self_2": "30",
        },
    )
    assert done.status_code == 302
    assert RoundEntry.objects.get(pk=entry.pk).status == EntryStatus.OPINIONS
    # The county and then the city sign; the city cannot before the county.
    assert (
        client_for(people.city)
        .post(reverse("evaluation:opinion", args=[entry.pk]), {"opinion": "同意", "action": "agree"})
        .status_code
        == 403
    )
    for user in (people.county, people.city):
        assert (
            client_for(user)
            .post(reverse("evaluation:opinion", args=[entry.pk]), {"opinion": "同意报送。", "action": "agree"})
            .status_code
            == 302
        )
    admin = client_for(people.admin)
    admin.post(reverse("evaluation:round_assign", args=[round_.pk]))
    sheets = list(EvaluationScore.objects.filter(entry=entry).select_related("expert__user"))
    assert len(sheets) == 2
    # Blind: one expert's page never shows another's score; an unassigned expert gets 404.
    first, second = sheets
    c1 = client_for(first.expert.user)
    bad = c1.post(
        reverse("evaluation:score", args=[entry.pk]),
        {"points_1": "61", "points_2": "30", "comment": "好", "action": "submit"},
    )
    assert bad.status_code == 400 and "“实施进展”的得分须在 0 到 60 之间。" in bad.content.decode()
    assert (
        c1.post(
            reverse("evaluation:score", args=[entry.pk]),
            {"points_1": "55", "points_2": "35", "comment": "好", "action": "submit"},
        ).status_code
        == 302
    )
    c2 = client_for(second.expert.user)
    assert "90.00" not in c2.get(reverse("evaluation:score", args=[entry.pk])).content.decode()
    # The leader is an expert too: while a sheet is out, it sees nobody's score, on the entry or the round.
    leader_view = client_for(experts.huang.user)
    for url_ in (url, reverse("evaluation:round", args=[round_.pk])):
        assert (
            "55.00" not in leader_view.get(url_).content.decode()
            and "90.00" not in leader_view.get(url_).content.decode()
        )
    c2.post(
        reverse("evaluation:score", args=[entry.pk]),
        {"points_1": "45", "points_2": "30", "comment": "一般", "action": "submit"},
    )
    outsider = client_for(experts.wei.user)
    assert outsider.get(reverse("evaluation:score", args=[entry.pk])).status_code == 404
    assert outsider.get(url).status_code == 404
    leader = client_for(experts.huang.user)
    assert "组长签署" in leader.get(url).content.decode()
    leader.post(reverse("evaluation:sign", args=[entry.pk]), {"panel_opinion": "进展良好。"})
    assert RoundEntry.objects.get(pk=entry.pk).status == EntryStatus.SCORED
    refused = admin.post(reverse("evaluation:decide", args=[entry.pk]), {"outcome": "pass"}, follow=True)
    assert "请评定等级（优秀、良好或合格）。" in refused.content.decode()
    admin.post(reverse("evaluation:decide", args=[entry.pk]), {"outcome": "pass", "grade": "优秀"})
    admin.post(reverse("evaluation:round_publish", args=[round_.pk]))
    school_page = school.get(url).content.decode()
    assert "通过（优秀）" in school_page and "进展良好。" in school_page
    names = [s.expert.user.real_name for s in sheets] + [experts.huang.user.real_name]
    assert not any(name in school_page for name in names)  # applicants never learn who scored them
    county_page = client_for(people.county).get(url).content.decode()
    assert not any(name in county_page for name in names)
    public = Client().get(reverse("evaluation:public_round", args=[round_.pk])).content.decode()
    assert "兴宁区实验小学智慧课堂实验" in public and "通过（优秀）" in public
    assert "韦丽娟" not in public and not any(name in public for name in names)


def test_scope_each_role_reaches_only_its_own(people, calls, experts, projects):
    round_ = open_round(people, calls, experts, chosen=[projects.a1, projects.c1])
    a1 = round_.entries.get(project=projects.a1)
    c1 = round_.entries.get(project=projects.c1)
    county = client_for(people.county)
    assert county.get(reverse("evaluation:entry", args=[a1.pk])).status_code == 200
    assert county.get(reverse("evaluation:entry", args=[c1.pk])).status_code == 404
    assert client_for(people.school_b).get(reverse("evaluation:round", args=[round_.pk])).status_code == 404
    assert client_for(people.school).get(reverse("evaluation:round", args=[round_.pk])).status_code == 200
    listing = client_for(people.school).get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert "城中区实验小学双师课堂实验" not in listing
    assert client_for(people.county).get(reverse("evaluation:round_create")).status_code == 403
    assert (
        client_for(people.school).post(reverse("evaluation:decide", args=[a1.pk]), {"outcome": "pass"}).status_code
        == 403
    )


def test_a_project_asks_for_an_extension_on_its_tab_and_a_refusal_keeps_what_was_typed(people, calls, projects):
    url = reverse("evaluation:project", args=[projects.a1.pk])
    school = client_for(people.school)
    assert "申请延期" in school.get(url).content.decode()
    refused = school.post(
        url,
        {
            "years": "2",
            "reasons": "进度滞后。",
            "s-0-name": "延期阶段",
            "s-0-starts_on": "2029-03-01",
            "s-0-ends_on": "2031-02-28",
        },
    )
    html = refused.content.decode()
    assert (
        refused.status_code == 400 and "本批次最长可延期 1 年，不能再申请延期 2 年。" in html and "进度滞后。" in html
    )
    assert (
        school.post(
            url,
            {
                "years": "1",
                "reasons": "进度滞后。",
                "s-0-name": "延期阶段",
                "s-0-starts_on": "2029-03-01",
                "s-0-ends_on": "2030-02-28",
            },
        ).status_code
        == 302
    )
    county = client_for(people.county)
    ext = projects.a1.extensions.get()
    county.post(
        reverse("evaluation:extension_recommend", args=[projects.a1.pk, ext.pk]),
        {"recommendation": "同意。", "action": "agree"},
    )
    client_for(people.admin).post(
        reverse("evaluation:extension_decide", args=[projects.a1.pk, ext.pk]), {"action": "approve"}
    )
    projects.a1.refresh_from_db()
    assert str(projects.a1.ends) == "2030-02-28"
    assert "延期至 2030年2月28日" in school.get(url).content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_round_pages_cost_the_same_number_of_queries_at_1_and_50_projects(people, calls, experts, projects, tree):
    from portal.orgs.choices import OrgKind
    from tests.factories import make_org
    from tests.fixtures.projects import make_project

    many = [
        make_project(
            calls.guangxi,
            make_org(f"24501029{i:02d}", OrgKind.SCHOOL, tree.county_a, name=f"学校{i}"),
            title=f"项目{i}",
        )
        for i in range(49)
    ]
    small = open_round(people, calls, experts, chosen=[projects.a1])
    large = open_round(people, calls, experts, chosen=[projects.a1, *many])
    admin = client_for(people.admin)
    for name in ("evaluation:round",):
        assert _queries(admin, reverse(name, args=[small.pk])) == _queries(admin, reverse(name, args=[large.pk]))
    for user in (people.admin, people.county, people.school):
        c = client_for(user)
        one = _queries(c, reverse("evaluation:entry", args=[small.entries.get(project=projects.a1).pk]))
        fifty = _queries(c, reverse("evaluation:entry", args=[large.entries.get(project=projects.a1).pk]))
        assert one == fifty, user
    assert _queries(admin, reverse("evaluation:rounds")) <= 15


def test_each_role_finds_its_evaluation_work_on_the_dashboard(people, calls, experts, projects):
    from evaluation import panel, selfeval
    from tests.evaluation.test_cycle import file_self_evaluation, score_all

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    dashboard = reverse("core:dashboard")
    assert "提交自评报告" in client_for(people.school).get(dashboard).content.decode()
    assert "参评 1 · 已报送 0" in client_for(people.admin).get(dashboard).content.decode()
    file_self_evaluation(entry, people.school)
    assert "自评报告待签署意见" in client_for(people.county).get(dashboard).content.decode()
    assert "自评报告待签署意见" not in client_for(people.county_b).get(dashboard).content.decode()
    for user in (people.county, people.city):
        selfeval.give_opinion(actor=user, entry=RoundEntry.objects.get(pk=entry.pk), agree=True, text="同意。")
    panel.assign(actor=people.admin, round_=round_)
    sheet = EvaluationScore.objects.filter(entry=entry).select_related("expert__user").first()
    assert "评分，截止" in client_for(sheet.expert.user).get(dashboard).content.decode()
    score_all(round_)
    assert "待组长签署专家组意见" in client_for(experts.huang.user).get(dashboard).content.decode()


def test_attachments_go_with_the_version_and_a_disguised_file_is_refused(people, calls, experts, projects):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.core.samples import blank_pdf
    from tests.evaluation.test_cycle import file_self_evaluation

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    school = client_for(people.school)
    upload = reverse("evaluation:entry_upload", args=[entry.pk])
    refused = school.post(upload, {"file": SimpleUploadedFile("成果.pdf", b"MZ\x90\x00 an exe")}, follow=True)
    assert "文件" in refused.content.decode() and not entry.files.exists()
    school.post(upload, {"file": SimpleUploadedFile("成果.pdf", blank_pdf())})
    school.post(upload, {"file": SimpleUploadedFile("草稿.pdf", blank_pdf())})
    draft = entry.files.get(original_name="草稿.pdf")
    school.post(reverse("evaluation:entry_file_remove", args=[entry.pk, draft.pk]))
    version = file_self_evaluation(RoundEntry.objects.get(pk=entry.pk), people.school)
    assert [f["name"] for f in version.content["attachments"]] == ["成果.pdf"]
    kept = entry.files.get(original_name="成果.pdf")
    assert client_for(people.county).get(reverse("evaluation:entry_file", args=[entry.pk, kept.pk])).status_code == 200
    assert (
        client_for(people.county_b).get(reverse("evaluation:entry_file", args=[entry.pk, kept.pk])).status_code == 404
    )
    late = school.post(upload, {"file": SimpleUploadedFile("补充.pdf", blank_pdf())}, follow=True)
    assert "自评报告已提交，不能再修改。" in late.content.decode()


def test_an_expert_steps_aside_and_the_entry_goes_to_another_and_a_returned_report_shows_its_changes(
    people, calls, experts, projects
):
    from evaluation import panel, selfeval
    from tests.evaluation.test_cycle import file_self_evaluation

    round_ = open_round(people, calls, experts, chosen=[projects.a1])
    entry = round_.entries.get()
    file_self_evaluation(entry, people.school)
    selfeval.give_opinion(
        actor=people.county, entry=RoundEntry.objects.get(pk=entry.pk), agree=False, text="请补充资金使用情况。"
    )
    entry = selfeval.save_draft(
        actor=people.school,
        entry=RoundEntry.objects.get(pk=entry.pk),
        raw={"budget": "专款专用，执行率 85%。"},
        expected_version=RoundEntry.objects.get(pk=entry.pk).lock_version,
    )
    selfeval.submit(actor=people.school, entry=entry)
    page = client_for(people.county).get(reverse("evaluation:entry", args=[entry.pk])).content.decode()
    assert "与第 1 版相比的修改" in page and "专款专用，执行率 85%。" in page and "支出规范。" in page
    for user in (people.county, people.city):
        selfeval.give_opinion(actor=user, entry=RoundEntry.objects.get(pk=entry.pk), agree=True, text="同意。")
    panel.assign(actor=people.admin, round_=round_)
    sheet = EvaluationScore.objects.filter(entry=entry).select_related("expert__user").first()
    c = client_for(sheet.expert.user)
    refused = c.post(reverse("evaluation:conflict", args=[entry.pk]), {"reason": ""}, follow=True)
    assert "请说明回避理由。" in refused.content.decode()
    c.post(reverse("evaluation:conflict", args=[entry.pk]), {"reason": "曾参与该项目方案编写。"})
    sheets = {s.expert_id: s.status for s in EvaluationScore.objects.filter(entry=entry)}
    assert sheets[sheet.expert_id] == "conflict"
    assert list(sheets.values()).count("assigned") == 2  # replaced at once, 回避 kept
    assert experts.wei.pk not in sheets
    assert c.get(reverse("evaluation:score", args=[entry.pk])).status_code == 404
    admin = client_for(people.admin)
    refused = admin.post(reverse("evaluation:assign_one", args=[entry.pk]), {"expert": experts.wei.pk}, follow=True)
    assert "须回避" in refused.content.decode()

"""The expert pages in the client: pool, panels, rubric, scoring (without contact details), the leader."""

from django.urls import reverse

from portal.experts.models import Assignment, Expert, Panel
from portal.experts.services.assignment import assign
from portal.orgs.choices import Role
from portal.programmes.presentation import REDACTED
from tests.factories import make_user


def test_admin_registers_an_expert_and_forms_a_panel(client, tree, admin, calls, experts):
    client.force_login(admin)
    user = make_user(Role.EXPERT, tree.university, username="new_expert", real_name="蒙老师")
    response = client.post(reverse("experts:pool"), {"user": user.pk, "field": "", "region": tree.city_a.pk})
    assert "请填写专业领域。" in response.content.decode()
    client.post(reverse("experts:pool"), {"user": user.pk, "field": "学科教学", "region": tree.city_a.pk})
    assert Expert.objects.get(user=user).region == tree.city_a
    response = client.post(
        reverse("experts:panel_list"),
        {
            "call": calls.guangxi.pk,
            "name": "第二组",
            "applicant_kind": "school",
            "category": "",
            "leader": experts.lu.pk,
            "members": [experts.huang.pk],
            "experts_per_application": 3,
            "outlier_margin": "15",
        },
    )
    assert "成员（含组长）不少于每份申请的评审专家数（3 人）。" in response.content.decode()
    response = client.post(
        reverse("experts:panel_list"),
        {
            "call": calls.guangxi.pk,
            "name": "第二组",
            "applicant_kind": "school",
            "category": "",
            "leader": experts.lu.pk,
            "members": [experts.huang.pk, experts.qin.pk],
            "experts_per_application": 3,
            "outlier_margin": "15",
        },
    )
    panel = Panel.objects.get(name="第二组")
    assert response.status_code == 302 and set(panel.members.all()) == {experts.lu, experts.huang, experts.qin}


def test_admin_edits_the_rubric(client, admin, calls):
    client.force_login(admin)
    url = reverse("experts:rubric", args=[calls.guangxi.pk, "school"])
    data = {
        "name": "实验校评分表",
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
        "c-0-number": "1",
        "c-0-title": "工作基础",
        "c-0-guidance": "",
        "c-0-max_points": "40",
        "c-0-weight": "1",
        "c-1-number": "2",
        "c-1-title": "实验方案",
        "c-1-guidance": "可行性",
        "c-1-max_points": "30",
        "c-1-weight": "2",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "满分 100" in page and "实验方案" in page


def test_several_criteria_are_saved_in_the_order_of_their_numbers_and_repeats_are_refused(client, admin, calls):
    from portal.experts.models import Criterion

    client.force_login(admin)
    url = reverse("experts:rubric", args=[calls.guangxi.pk, "school"])
    rows = [("3", "保障措施", "20"), ("1", "工作基础", "40"), ("2", "实验方案", "40")]
    data = {
        "name": "实验校评分表",
        "c-TOTAL_FORMS": "4",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
        "c-3-number": "9",
        "c-3-title": "删去的项",
        "c-3-max_points": "5",
        "c-3-weight": "1",
        "c-3-DELETE": "on",
    }
    for i, (number, title, points) in enumerate(rows):
        data.update(
            {
                f"c-{i}-number": number,
                f"c-{i}-title": title,
                f"c-{i}-guidance": "",
                f"c-{i}-max_points": points,
                f"c-{i}-weight": "1",
            }
        )
    assert client.post(url, data).status_code == 302
    assert list(Criterion.objects.values_list("number", "title")) == [(1, "工作基础"), (2, "实验方案"), (3, "保障措施")]
    page = client.post(url, {**data, "c-0-number": "1"}).content.decode()
    assert "评分项序号不能重复：1。" in page and 'data-testid="error-summary"' in page
    assert 'data-formset-add="c"' in page and "<template" in page  # rows are added on the page itself


def test_the_expert_scores_beside_the_form_without_contact_details(
    client, tree, admin, experts, panel, at_expert_stage
):
    (a1,) = at_expert_stage(tree.school_a1)
    assignment = assign(actor=admin, panel=panel, application=a1, expert=experts.huang)
    client.force_login(experts.huang.user)
    page = client.get(reverse("experts:task", args=[assignment.pk])).content.decode()
    values = a1.versions.get().content["values"]
    assert values["head_mobile"] not in page and values["contact_email"] not in page and REDACTED in page
    assert values["experiment_name"] in page and "政府重视教育信息化工作" in page
    assert "提交评分后可查看其他专家已提交的评分" in page
    evidence = a1.versions.get().content["attachments"][0]
    link = reverse("experts:task_attachment", args=[assignment.pk, evidence["id"]])
    assert link in page and client.get(link)["Content-Type"] == "application/pdf"
    response = client.post(
        reverse("experts:task", args=[assignment.pk]),
        {"points_1": "20", "points_2": "abc", "points_3": "", "points_4": "", "comment": "", "submit": "1"},
    )
    assert "“教育信息化基础条件较好”的得分须为数字。" in response.content.decode()
    assert 'value="20"' in response.content.decode()  # what was typed stays
    client.post(
        reverse("experts:task", args=[assignment.pk]),
        {
            "points_1": "20",
            "points_2": "21",
            "points_3": "22",
            "points_4": "23",
            "comment": "方案扎实。",
            "submit": "1",
        },
    )
    assignment.refresh_from_db()
    assert assignment.status == "submitted" and str(assignment.total) == "86.00"
    other = make_user(Role.EXPERT, tree.university)
    client.force_login(other)
    assert client.get(reverse("experts:task", args=[assignment.pk])).status_code == 404


def test_conflict_from_the_page_and_the_leaders_sign_off(client, tree, admin, experts, panel, at_expert_stage):
    (a1,) = at_expert_stage(tree.school_a1)
    for e in (experts.huang, experts.qin):
        assign(actor=admin, panel=panel, application=a1, expert=e)
    client.force_login(experts.qin.user)
    qin = Assignment.objects.get(expert=experts.qin)
    client.post(reverse("experts:task_conflict", args=[qin.pk]), {"reason": "该校校长是本人亲属"})
    qin.refresh_from_db()
    assert qin.status == "conflict" and Assignment.objects.filter(application=a1, status="assigned").count() == 2
    for a in Assignment.objects.filter(application=a1, status="assigned"):
        client.force_login(a.expert.user)
        client.post(
            reverse("experts:task", args=[a.pk]),
            {
                "points_1": "20",
                "points_2": "20",
                "points_3": "20",
                "points_4": "20",
                "comment": "可以。",
                "submit": "1",
            },
        )
    client.force_login(admin)
    client.post(reverse("experts:panel_close", args=[panel.pk]))
    detail = client.get(reverse("experts:panel_detail", args=[panel.pk])).content.decode()
    assert 'data-testid="rank-row"' in detail and "80.00" in detail
    client.force_login(experts.lu.user)
    url = reverse("experts:leader", args=[panel.pk])
    assert "80.00" in client.get(url).content.decode()
    response = client.post(
        url,
        {"application": a1.pk, "outcome": "recommend", "text": "", "signer_name": "陆教授", "signed_on": "2026-11-24"},
    )
    assert "请填写“专家组评审意见”。" in response.content.decode()
    client.post(
        url,
        {
            "application": a1.pk,
            "outcome": "recommend",
            "text": "建议立项。",
            "signer_name": "陆教授",
            "signed_on": "2026-11-24",
        },
    )
    assert a1.opinions.get().text == "建议立项。"
    assert 'data-testid="signed"' in client.get(url).content.decode()


def test_bulk_assign_from_the_review_queue_reports_each_application(
    client, tree, admin, experts, panel, at_expert_stage
):
    a1, c1 = at_expert_stage(tree.school_a1, tree.school_c1)
    panel.experts_per_application = 3
    panel.save()
    client.force_login(admin)
    queue = client.get(reverse("review:queue")).content.decode()
    assert "分配给专家组评审" in queue and panel.name in queue
    response = client.post(reverse("review:queue"), {"action": "assign", "panel": panel.pk, "selected": [a1.pk, c1.pk]})
    results = {r["name"]: r for r in response.context["results"]}
    assert results[tree.school_a1.name]["ok"] and results[tree.school_a1.name]["message"] == f"分配给{panel.name}"
    # 柳州's school: 陆 and 覃 must step aside, so only two of the three places can be filled.
    assert not results[tree.school_c1.name]["ok"] and "缺少 1 位" in results[tree.school_c1.name]["message"]
    assert Assignment.objects.filter(application=a1).count() == 3
    response = client.post(reverse("review:queue"), {"action": "assign", "selected": [a1.pk]})
    assert "请选择专家组。" in response.content.decode()


def test_api_the_expert_scores_and_the_administrator_reads_the_results(tree, admin, experts, panel, at_expert_stage):
    from rest_framework.test import APIClient

    (a1,) = at_expert_stage(tree.school_a1)
    for e in (experts.huang, experts.qin):
        assign(actor=admin, panel=panel, application=a1, expert=e)
    api = APIClient()
    api.force_authenticate(experts.huang.user)
    mine = api.get(reverse("api:expert_assignment_list")).json()["results"]
    assert [m["applicant"] for m in mine] == [tree.school_a1.name] and "head_mobile" not in str(mine)
    url = reverse("api:expert_score", args=[mine[0]["id"]])
    refused = api.post(url, {"points": {"1": "99"}, "submit": True}, format="json")
    assert refused.status_code == 400 and "points_1" in refused.json()["errors"]
    done = api.post(
        url, {"points": {"1": "20", "2": "20", "3": "20", "4": "21.5"}, "comment": "好", "submit": True}, format="json"
    )
    assert done.status_code == 200 and done.json()["total"] == "81.50"
    api.force_authenticate(admin)
    rows = api.get(reverse("api:panel_results", args=[panel.pk])).json()
    assert rows[0]["totals"] == {"黄教授": "81.50"} and rows[0]["rank"] == 1
    api.force_authenticate(make_user(Role.PROVINCE_ADMIN, tree.other_province))
    assert api.get(reverse("api:panel_results", args=[panel.pk])).status_code == 404


def test_admin_changes_a_panels_members(client, admin, experts, panel):
    client.force_login(admin)
    url = reverse("experts:panel_edit", args=[panel.pk])
    assert 'value="实验校第一专家组"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "call": panel.call_id,
            "name": "实验校第一专家组",
            "applicant_kind": "school",
            "category": "",
            "leader": experts.huang.pk,
            "members": [experts.qin.pk],
            "experts_per_application": 2,
            "outlier_margin": "10",
        },
    )
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.leader == experts.huang and set(panel.members.all()) == {experts.huang, experts.qin}


def test_expert_pages_make_the_same_number_of_queries_at_1_and_50(client, tree, admin, experts, panel, calls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.formspec.registry import schema_for
    from portal.programmes.models import Application, ApplicationVersion
    from tests.factories import make_org

    schema = schema_for("guangxi_school")

    def make(n, start):
        for i in range(start, start + n):
            school = make_org(f"24501027{i:02d}", "school", tree.county_a, name=f"评审学校{i}")
            app = Application.objects.create(
                call=calls.guangxi,
                applicant=school,
                applicant_kind="school",
                schema=schema,
                status="submitted",
                version_count=1,
                stage="expert",
            )
            ApplicationVersion.objects.create(
                application=app,
                number=1,
                schema=schema,
                sha256="0" * 64,
                submitted_at=timezone.now(),
                content={"values": {"category": "1"}, "computed": {}, "attachments": [], "categories": []},
            )
            for e in (experts.huang, experts.qin):
                Assignment.objects.create(
                    panel=panel,
                    application=app,
                    expert=e,
                    status="submitted",
                    total=80 + i % 7,
                    submitted_at=timezone.now(),
                )

    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    pages = [
        (admin, reverse("experts:panel_detail", args=[panel.pk])),
        (admin, reverse("experts:panel_list")),
        (experts.huang.user, reverse("experts:task_list")),
        (admin, reverse("api:panel_results", args=[panel.pk])),
    ]
    make(1, 0)
    one = [count(u, url) for u, url in pages]
    make(49, 1)
    assert [count(u, url) for u, url in pages] == one


def test_the_leader_page_gives_each_applications_form_its_own_ids(client, tree, admin, experts, panel, at_expert_stage):
    """Two applications on the leader's page: the 推荐 label of the second must tick the second's radio."""
    import re
    from collections import Counter

    apps = at_expert_stage(tree.school_a1, tree.school_a2)
    for app in apps:
        for e in (experts.huang, experts.qin):
            assign(actor=admin, panel=panel, application=app, expert=e)
    for a in Assignment.objects.all():
        client.force_login(a.expert.user)
        client.post(
            reverse("experts:task", args=[a.pk]),
            {
                "points_1": "20",
                "points_2": "20",
                "points_3": "20",
                "points_4": "20",
                "comment": "可以。",
                "submit": "1",
            },
        )
    client.force_login(admin)
    client.post(reverse("experts:panel_close", args=[panel.pk]))
    client.force_login(experts.lu.user)
    page = client.get(reverse("experts:leader", args=[panel.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for app in apps:
        assert f'for="id_outcome_{app.pk}_0"' in page and f'id="id_outcome_{app.pk}_0"' in page

"""Report jobs and the Excel files they produce: opened with openpyxl and checked cell by cell."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.orgs.choices import Role
from portal.reports import services
from portal.reports.masking import mask_email, mask_phone
from portal.reports.models import ReportJob
from tests.factories import make_user
from tests.fixtures.review import recommended_by_city


def _city_list(calls, tree, reviewers, submitted):
    """Two Nanning schools recommended by their county and by the city."""
    return recommended_by_city(calls, reviewers, submitted, (tree.school_a1, tree.school_a2))


def _run(actor, kind, pk, capture):
    with capture(execute=True):
        job, created = services.request_report(actor=actor, kind=kind, pk=pk)
    job.refresh_from_db()
    return job, created


def _open(job):
    return load_workbook(BytesIO((services.storage_dir() / job.stored_name).read_bytes()))


def test_city_summary_is_laid_out_as_the_seed_with_real_phones_for_the_city(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    lst, apps = _city_list(calls, tree, reviewers, submitted)
    reviewers.city.phone = "13977100001"
    reviewers.city.save()
    job, _ = _run(reviewers.city, "city_summary", lst.pk, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.file_name) == ("done", 100, "南宁市教育局推荐汇总表.xlsx")
    ws = _open(job)["推荐汇总表"]
    assert ws["A1"].value == "基础教育信息化融合创新实验区、实验校推荐汇总表"
    assert {"A1:G1", "A2:B3", "C2:C3"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(2, c).value for c in range(1, 8)] == [
        "市级教育行政部门(公章)",
        None,
        "南宁市教育局",
        "联系人",
        reviewers.city.real_name,
        "手机号码",
        "13977100001",
    ]
    values = apps[0].versions.get().content["values"]
    school_head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "推荐实验校")
    assert [ws.cell(school_head + 1, c).value for c in range(4, 8)] == ["姓  名", "职务", "手机号码", "办公电话"]
    assert [ws.cell(school_head + 2, c).value for c in range(2, 8)] == [
        1,
        values["org_name"],
        values["head_name"],
        values["head_title"],
        values["head_mobile"],
        values["head_phone"],
    ]
    assert ws.freeze_panes == "A2"
    assert AuditEntry.objects.filter(action="reports.export", object_id=str(job.pk), data__sha256=job.sha256).exists()


def test_contacts_are_masked_for_a_role_that_does_not_need_them(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks, role_users
):
    lst, apps = _city_list(calls, tree, reviewers, submitted)
    job, _ = _run(role_users[Role.SYSTEM_ADMIN], "city_contacts", lst.pk, django_capture_on_commit_callbacks)
    ws = _open(job)["联系人信息表"]
    assert [c.value for c in ws[2]] == ["序号", "姓名", "单位", "职务", "手机号码"]
    assert ws.auto_filter.ref == "A2:E4" and ws.freeze_panes == "A3"
    mobile = apps[0].versions.get().content["values"]["contact_mobile"]
    assert ws["E3"].value == mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]
    job, _ = _run(reviewers.city, "city_contacts", lst.pk, django_capture_on_commit_callbacks)
    assert _open(job)["联系人信息表"]["E3"].value == mobile


def test_the_same_request_returns_the_existing_job_and_scope_is_kept(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    lst, _ = _city_list(calls, tree, reviewers, submitted)
    first, created = _run(reviewers.city, "city_summary", lst.pk, django_capture_on_commit_callbacks)
    again, created_again = _run(reviewers.city, "city_summary", lst.pk, django_capture_on_commit_callbacks)
    assert created and not created_again and again.pk == first.pk and ReportJob.objects.count() == 1
    from django.http import Http404

    with pytest.raises(Http404):
        services.request_report(actor=reviewers.other_city, kind="city_summary", pk=lst.pk)
    with pytest.raises(ServiceError, match="没有生成此报表的权限"):
        services.request_report(actor=make_user(Role.SCHOOL_APPLICANT, tree.school_a1), kind="city_summary", pk=lst.pk)


def test_province_summary_has_one_row_per_application_with_key_figures(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    lst, apps = _city_list(calls, tree, reviewers, submitted)
    job, _ = _run(reviewers.province, "province_summary", calls.guangxi.pk, django_capture_on_commit_callbacks)
    ws = _open(job)["申报汇总"]
    heads = [c.value for c in ws[2]]
    assert heads[:9] == [
        "序号",
        "申报单位",
        "机构代码",
        "所在市",
        "申报类别",
        "实验名称",
        "实验类别",
        "状态",
        "当前环节",
    ]
    assert "县级教育行政部门结论" in heads and "2020年投入经费（万元）" in heads and "生机比" in heads
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(3, ws.max_row + 1)}
    assert set(rows) == {tree.school_a1.name, tree.school_a2.name}
    row = rows[tree.school_a1.name]
    values = apps[0].versions.get().content["values"]
    assert row[3] == "南宁市教育局" and row[heads.index("县级教育行政部门结论")] == "推荐"
    assert row[heads.index("2020年投入经费（万元）")] == float(values["invest_2020"])
    number = values["category"][0]
    assert row[6] == f"{number}. {calls.guangxi.categories.get(number=number).name}"
    assert row[heads.index("负责人")] == values["head_name"] and row[heads.index("版本")] == 1
    assert ws.cell(3, heads.index("2020年投入经费（万元）") + 1).number_format == "#,##0.00"
    assert ws.freeze_panes == "C3" and ws.auto_filter.ref.startswith("A2:")


def test_expert_score_sheet_and_ranking(
    tree, admin, experts, panel, at_expert_stage, django_capture_on_commit_callbacks
):
    from portal.experts.models import Assignment
    from portal.experts.services.assignment import assign
    from portal.experts.services.sheets import save_sheet

    (a1,) = at_expert_stage(tree.school_a1)
    for e, pts in ((experts.huang, "20"), (experts.qin, "22.5")):
        assign(actor=admin, panel=panel, application=a1, expert=e)
        save_sheet(
            actor=e.user,
            assignment=Assignment.objects.get(expert=e),
            points=dict.fromkeys("1234", pts),
            comments={},
            comment="好",
            submit=True,
        )
    job, _ = _run(admin, "expert_scores", panel.pk, django_capture_on_commit_callbacks)
    book = _open(job)
    detail, ranking = book["评分明细"], book["排名"]
    assert [c.value for c in detail[2]][:4] == ["序号", "申报单位", "评审专家", "1. 政府重视教育信息化工作（25分）"]
    assert [c.value for c in detail[3]][2:8] == ["黄教授", 20, 20, 20, 20, 80]
    category = f"1. {panel.call.categories.get(number=1).name}"
    assert [c.value for c in ranking[3]][:6] == [1, 1, tree.school_a1.name, category, 85, 85]


def test_download_is_the_requesters_own_and_audited(
    calls, tree, reviewers, submitted, client, django_capture_on_commit_callbacks
):
    lst, _ = _city_list(calls, tree, reviewers, submitted)
    client.force_login(reviewers.city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request"), {"kind": "city_summary", "pk": lst.pk})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    page = client.get(reverse("reports:centre")).content.decode()
    assert "南宁市教育局推荐汇总表" in page and 'data-testid="download"' in page
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert AuditEntry.objects.filter(action="reports.download", object_id=str(job.pk)).exists()
    client.force_login(reviewers.province)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_sweep_requeues_a_job_whose_worker_died_and_deletes_expired_files(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks, later
):
    lst, _ = _city_list(calls, tree, reviewers, submitted)
    job = ReportJob.objects.create(
        kind="city_summary",
        params={"list": lst.pk},
        request_key="k",
        requested_by=reviewers.city,
        title="推荐汇总表",
        status="running",
        attempts=1,
        heartbeat_at=later(0, minutes=-30),
        started_at=later(0, minutes=-30),
    )
    result = services.sweep()  # tasks run in-process here: the requeued job renders at once
    job.refresh_from_db()
    assert result["requeued"] == [job.pk] and job.status == "done" and job.attempts == 2
    assert len(list(services.storage_dir().glob(f"job-{job.pk}.*"))) == 1
    assert services.sweep(now=later(4))["expired"] == 1 and not list(services.storage_dir().glob(f"job-{job.pk}.*"))


def test_masking_rules():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0771-5815221") == "077*****5221"
    assert mask_email("xxh@jyt.gxzf.gov.cn") == "x***@jyt.gxzf.gov.cn"


def test_api_requests_a_report_follows_it_and_fetches_the_file(
    calls, tree, reviewers, submitted, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    lst, _ = _city_list(calls, tree, reviewers, submitted)
    api = APIClient()
    api.force_authenticate(reviewers.city)
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post(reverse("api:report_list"), {"kind": "city_contacts", "pk": lst.pk}, format="json")
    assert made.status_code == 201
    again = api.post(reverse("api:report_list"), {"kind": "city_contacts", "pk": lst.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    job = api.get(reverse("api:report_detail", args=[made.json()["id"]])).json()
    assert job["status"] == "done" and job["progress"] == 100
    file = api.get(reverse("api:report_file", args=[job["id"]]))
    assert file.status_code == 200 and b"".join(file.streaming_content)[:2] == b"PK"
    refused = api.post(reverse("api:report_list"), {"kind": "nonsense", "pk": 1}, format="json")
    assert refused.status_code == 400 and refused.json()["detail"] == "“报表类型”（kind）：“nonsense” 不是合法选项。"

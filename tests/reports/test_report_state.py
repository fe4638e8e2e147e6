"""A report always shows the state it was asked in: for every kind, the same request with the state
unchanged returns the same job and file; a changed state renders a new file that shows the change."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.orgs.choices import Role
from portal.reports import services
from portal.reports.kinds import KINDS
from portal.reports.models import IssuedDocument, ReportJob
from portal.review.models import RecommendationList
from portal.review.services import lists
from portal.review.services.decisions import Decision, decide
from tests.factories import make_user
from tests.fixtures.review import recommended_by_city

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils 未安装（make test 会自动安装）")


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """ask(actor, kind, pk) → (job, created, file bytes), rendered in-process."""

    def _ask(actor, kind, pk, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job, created = services.request_report(actor=actor, kind=kind, pk=pk, **kwargs)
        job.refresh_from_db()
        assert job.status == "done", job.error
        return job, created, (services.storage_dir() / job.stored_name).read_bytes()

    return _ask


def _pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode())


def _cells(data: bytes, sheet: str) -> list[list]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def _zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def _recommend(actor, application, text="同意推荐。"):
    application.refresh_from_db()
    decide(actor=actor, application=application, decision=Decision(outcome="recommend", text=text))


def _city_list(calls, tree, reviewers, submitted, orgs):
    return recommended_by_city(calls, reviewers, submitted, orgs, text="同意推荐。")


def test_every_kind_states_its_state():
    # A new kind without a state function could only ever hand back its first file.
    assert all(callable(spec.state) for spec in KINDS.values())
    # The project documents' states are tested in tests/projects/test_documents.py, the schools' in
    # tests/schools/test_documents.py, the evaluation cycle's in tests/evaluation/test_documents.py.
    assert set(KINDS) == {
        "city_summary",
        "city_contacts",
        "province_summary",
        "expert_scores",
        "application_pdf",
        "list_pdfs",
        "call_pdfs",
        "project_plan_pdf",
        "project_plan_xlsx",
        "project_tasks_pdf",
        "project_tasks_xlsx",
        "project_indicators_pdf",
        "project_indicators_xlsx",
        "budget_execution",
        "indicator_attainment",
        "training_sheets_pdf",
        "training_results_xlsx",
        "devplan_pdf",
        "selfeval_pdf",
        "evaluation_result_pdf",
        "round_results_xlsx",
        "acceptance_list_xlsx",
        "showcase_xlsx",
    }


def test_a_form_printed_after_a_decision_shows_the_opinion(calls, school_user, submitted, reviewers, ask):
    application = submitted(school_user, calls.guangxi)
    first, created, before = ask(reviewers.county, "application_pdf", application.pk)
    again, created_again, same = ask(reviewers.county, "application_pdf", application.pk)
    assert created and not created_again and again.pk == first.pk and same == before
    assert "该校基础扎实，同意推荐。" not in _pdf_text(before)
    _recommend(reviewers.county, application, "该校基础扎实，同意推荐。")
    second, created, after = ask(reviewers.county, "application_pdf", application.pk)
    assert created and second.pk != first.pk and second.state_hash != first.state_hash
    assert "该校基础扎实，同意推荐。" in _pdf_text(after)
    assert second.state_at >= first.state_at


def test_a_new_version_is_a_new_state(calls, school_user, submitted, reviewers, ask):
    from portal.programmes.services.applications import save_draft, submit_application

    application = submitted(school_user, calls.guangxi)
    first, _, _ = ask(school_user, "application_pdf", application.pk)
    decide(
        actor=reviewers.county,
        application=application,
        decision=Decision(outcome="return", text="请补充", reasons="补充工作基础"),
    )
    application.refresh_from_db()
    values = dict(application.versions.get().content["values"])
    values["experiment_name"] = "修改后的实验名称"
    save_draft(actor=school_user, application=application, raw=_post(values), expected_version=application.lock_version)
    submit_application(actor=school_user, application=application)
    second, created, data = ask(school_user, "application_pdf", application.pk)
    assert created and second.pk != first.pk and "修改后的实验名称" in _pdf_text(data) and "第2版" in _pdf_text(data)


def _post(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in (None, "")}


def test_regenerate_renders_anew_even_when_unchanged(calls, school_user, submitted, ask):
    application = submitted(school_user, calls.guangxi)
    first, _, _ = ask(school_user, "application_pdf", application.pk)
    second, created, _ = ask(school_user, "application_pdf", application.pk, regenerate=True)
    assert created and second.pk != first.pk and second.state_hash == first.state_hash


def test_city_lists_reflect_a_new_ranking(calls, tree, reviewers, submitted, ask):
    lst, apps = _city_list(calls, tree, reviewers, submitted, (tree.school_a1, tree.school_a2))
    names = [a.versions.get().content["values"]["org_name"] for a in apps]
    summary, _, before = ask(reviewers.city, "city_summary", lst.pk)
    contacts, _, contacts_before = ask(reviewers.city, "city_contacts", lst.pk)
    assert ask(reviewers.city, "city_summary", lst.pk)[0].pk == summary.pk
    assert ask(reviewers.city, "city_contacts", lst.pk)[0].pk == contacts.pk

    def school_order(data):
        return [row[2] for row in _cells(data, "推荐汇总表") if row[2] in names]

    assert school_order(before) == names
    lists.rank(actor=reviewers.city, lst=lst, order=[e.pk for e in lst.entries.order_by("-rank")])
    summary2, created, after = ask(reviewers.city, "city_summary", lst.pk)
    assert created and summary2.pk != summary.pk and school_order(after) == names[::-1]
    contacts2, created, contacts_after = ask(reviewers.city, "city_contacts", lst.pk)
    units = [row[2] for row in _cells(contacts_after, "联系人信息表")[2:]]
    assert created and contacts2.pk != contacts.pk and units == names[::-1]


def test_the_list_zip_follows_its_entries(calls, tree, reviewers, submitted, ask):
    apps = [submitted(make_user(Role.SCHOOL_APPLICANT, org), calls.guangxi) for org in (tree.school_a1, tree.school_a2)]
    _recommend(reviewers.county, apps[0])
    lst = RecommendationList.objects.get(level="county")
    first, _, before = ask(reviewers.county, "list_pdfs", lst.pk)
    assert _zip_names(before) == [f"01_{tree.school_a1.name}.pdf"]
    assert ask(reviewers.county, "list_pdfs", lst.pk)[0].pk == first.pk
    _recommend(reviewers.county, apps[1])
    second, created, after = ask(reviewers.county, "list_pdfs", lst.pk)
    assert created and _zip_names(after) == [f"01_{tree.school_a1.name}.pdf", f"02_{tree.school_a2.name}.pdf"]


def test_the_province_summary_and_zip_include_later_submissions(calls, tree, reviewers, submitted, ask):
    submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a1), calls.guangxi)
    summary, _, before = ask(reviewers.province, "province_summary", calls.guangxi.pk)
    archive, _, zip_before = ask(reviewers.province, "call_pdfs", calls.guangxi.pk)
    assert ask(reviewers.province, "province_summary", calls.guangxi.pk)[0].pk == summary.pk
    assert ask(reviewers.province, "call_pdfs", calls.guangxi.pk)[0].pk == archive.pk

    def applicants(data):
        return {row[1] for row in _cells(data, "申报汇总")[2:]}

    assert applicants(before) == {tree.school_a1.name} and len(_zip_names(zip_before)) == 1
    submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a2), calls.guangxi)
    summary2, created, after = ask(reviewers.province, "province_summary", calls.guangxi.pk)
    assert created and applicants(after) == {tree.school_a1.name, tree.school_a2.name}
    archive2, created, zip_after = ask(reviewers.province, "call_pdfs", calls.guangxi.pk)
    assert created and len(_zip_names(zip_after)) == 2


def test_the_province_summary_shows_a_decision_taken_since(calls, tree, reviewers, submitted, ask):
    application = submitted(make_user(Role.SCHOOL_APPLICANT, tree.school_a1), calls.guangxi)
    _, _, before = ask(reviewers.province, "province_summary", calls.guangxi.pk)
    heads = _cells(before, "申报汇总")[1]
    column = heads.index("县级教育行政部门结论")
    assert _cells(before, "申报汇总")[2][column] in ("", None)
    _recommend(reviewers.county, application)
    _, created, after = ask(reviewers.province, "province_summary", calls.guangxi.pk)
    assert created and _cells(after, "申报汇总")[2][column] == "推荐"


def test_the_score_sheet_follows_the_scores(tree, admin, experts, panel, at_expert_stage, ask):
    from portal.experts.models import Assignment
    from portal.experts.services.assignment import assign
    from portal.experts.services.sheets import save_sheet

    (a1,) = at_expert_stage(tree.school_a1)
    for e in (experts.huang, experts.qin):
        assign(actor=admin, panel=panel, application=a1, expert=e)
    save_sheet(
        actor=experts.huang.user,
        assignment=Assignment.objects.get(expert=experts.huang),
        points=dict.fromkeys("1234", "20"),
        comments={},
        comment="好",
        submit=True,
    )
    first, _, before = ask(admin, "expert_scores", panel.pk)
    assert ask(admin, "expert_scores", panel.pk)[0].pk == first.pk
    save_sheet(
        actor=experts.qin.user,
        assignment=Assignment.objects.get(expert=experts.qin),
        points=dict.fromkeys("1234", "22.5"),
        comments={},
        comment="较好",
        submit=True,
    )
    second, created, after = ask(admin, "expert_scores", panel.pk)
    totals = {row[2]: row[7] for row in _cells(after, "评分明细")[2:]}
    assert created and second.pk != first.pk and totals == {"黄教授": 80, "覃主任": 90}
    assert {row[2]: row[7] for row in _cells(before, "评分明细")[2:]}["覃主任"] is None


def test_the_centre_says_which_state_a_file_shows_and_offers_regeneration(
    calls, school_user, submitted, client, django_capture_on_commit_callbacks
):
    application = submitted(school_user, calls.guangxi)
    client.force_login(school_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk})
    job = ReportJob.objects.get()
    page = client.get(reverse("reports:centre")).content.decode()
    assert f"截至 {job.state_at.astimezone().strftime('%Y-%m-%d %H:%M:%S')} 的状态" in page
    assert 'data-testid="regenerate"' in page
    response = client.post(reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk}, follow=True)
    assert "内容自上次生成以来没有变化" in response.content.decode() and ReportJob.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk, "regenerate": "1"})
    assert ReportJob.objects.count() == 2


def test_verification_names_the_opinions_and_the_file_it_issued(calls, school_user, submitted, reviewers, ask, client):
    application = submitted(school_user, calls.guangxi)
    plain_job, _, plain = ask(reviewers.county, "application_pdf", application.pk)
    _recommend(reviewers.county, application, "同意推荐该校。")
    sealed_job, _, sealed = ask(reviewers.county, "application_pdf", application.pk)
    first, second = IssuedDocument.objects.order_by("pk")
    assert first.code != second.code and first.version_sha256 == second.version_sha256
    import hashlib

    assert first.file_sha256 == hashlib.sha256(plain).hexdigest() == plain_job.sha256
    assert second.file_sha256 == hashlib.sha256(sealed).hexdigest() == sealed_job.sha256
    county_box = next(b for b in second.opinions if b["level"] == "county")
    assert county_box == {
        "level": "county",
        "label": "县级教育行政部门推荐意见",
        "outcome": "推荐",
        "signer": reviewers.county.real_name,
        "organisation": tree_county_name(application),
        "date": county_box["date"],
        "sealed": True,
        "seal": tree_county_name(application),
    }
    assert county_box["date"].endswith("日")
    assert next(b for b in first.opinions if b["level"] == "county")["outcome"] == ""
    page = client.get(reverse("verify", args=[second.code])).content.decode()
    assert second.file_sha256 in page and "县级教育行政部门推荐意见" in page and "推荐" in page
    assert reviewers.county.real_name in page and f"{tree_county_name(application)}（已盖章）" in page
    old = client.get(reverse("verify", args=[first.code])).content.decode()
    assert "（已盖章）" not in old and first.file_sha256 in old


def tree_county_name(application) -> str:
    return application.applicant.parent.name


def test_printed_links_follow_the_address_asked_on(
    calls, school_user, submitted, client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "portal.example.cn"]
    application = submitted(school_user, calls.guangxi)
    client.force_login(school_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk}, HTTP_HOST="127.0.0.1:8123"
        )
    job = ReportJob.objects.get()
    code = IssuedDocument.objects.get().code
    text = _pdf_text((services.storage_dir() / job.stored_name).read_bytes())
    assert job.base_url == "http://127.0.0.1:8123" and f"http://127.0.0.1:8123/verify/{code}/" in text
    # Another address is another file: its links would be wrong.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk}, HTTP_HOST="portal.example.cn"
        )
    assert ReportJob.objects.count() == 2
    settings.PORTAL_BASE_URL = "https://jyt.example.cn/portal"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk}, HTTP_HOST="127.0.0.1:8123"
        )
    latest = ReportJob.objects.order_by("-pk").first()
    code = IssuedDocument.objects.order_by("-pk").first().code
    assert f"https://jyt.example.cn/portal/verify/{code}/" in _pdf_text(
        (services.storage_dir() / latest.stored_name).read_bytes()
    )


def test_a_province_exports_its_own_part_of_a_national_call(calls, tree, reviewers, submitted, ask, client):
    gx = submitted(make_user(Role.BUREAU_APPLICANT, tree.county_a), calls.national, multiple=True)
    submitted(make_user(Role.BUREAU_APPLICANT, tree.other_county), calls.national, multiple=True)
    sx_province = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin")
    _, _, summary = ask(reviewers.province, "province_summary", calls.national.pk)
    assert [row[1] for row in _cells(summary, "申报汇总")[2:]] == [gx.applicant.name]
    _, _, archive = ask(reviewers.province, "call_pdfs", calls.national.pk)
    assert _zip_names(archive) == [f"01_{tree.county_a.name}.pdf"]
    _, _, theirs = ask(sx_province, "province_summary", calls.national.pk)
    assert [row[1] for row in _cells(theirs, "申报汇总")[2:]] == [tree.other_county.name]
    client.force_login(sx_province)
    page = client.get(reverse("programmes:call_detail", args=[calls.national.pk])).content.decode()
    assert 'data-testid="export-province_summary"' in page and 'data-testid="export-call_pdfs"' in page
    assert "修改批次设置" not in page  # exporting its part is not managing the call
    # A city of the chain is not a province: it still may not export the call.
    from django.http import Http404

    from portal.core.exceptions import ServiceError

    with pytest.raises(ServiceError):
        services.request_report(actor=reviewers.city, kind="province_summary", pk=calls.national.pk)
    # A province's own call stays its own: Shanxi cannot export Guangxi's call.
    with pytest.raises(Http404):
        services.request_report(actor=sx_province, kind="province_summary", pk=calls.guangxi.pk)


def test_the_city_summary_follows_its_contact(calls, tree, reviewers, submitted, ask):
    """附件3 prints the sender's (here the requester's) name and phone: a change of them is a new state."""
    lst, _ = _city_list(calls, tree, reviewers, submitted, (tree.school_a1,))
    first, _, before = ask(reviewers.city, "city_summary", lst.pk)
    reviewers.city.phone = "13977100009"
    reviewers.city.save()
    second, created, after = ask(reviewers.city, "city_summary", lst.pk)
    assert created and second.pk != first.pk
    assert _cells(before, "推荐汇总表")[1][6] != "13977100009" == _cells(after, "推荐汇总表")[1][6]


@pytest.mark.parametrize("regenerate", [["1"], {"a": 1}, "1\x00", '=HYPERLINK("http://e.cn")', None, 2])
def test_a_strange_regenerate_flag_is_not_a_server_error(
    calls, school_user, submitted, regenerate, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    application = submitted(school_user, calls.guangxi)
    api = APIClient()
    api.force_authenticate(school_user)
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(reverse("api:report_list"), {"kind": "application_pdf", "pk": application.pk}, format="json")
        again = api.post(
            reverse("api:report_list"),
            {"kind": "application_pdf", "pk": application.pk, "regenerate": regenerate},
            format="json",
        )
    # A flag that is not a boolean is refused at the field, never a 500, and nothing is regenerated.
    assert first.status_code == 201 and again.status_code == 400
    assert "重新生成" in again.json()["detail"] or "NUL" in again.json()["detail"]
    assert ReportJob.objects.count() == 1


def test_a_strange_regenerate_field_on_the_page_is_no(
    calls, school_user, submitted, client, django_capture_on_commit_callbacks
):
    application = submitted(school_user, calls.guangxi)
    client.force_login(school_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk})
        for value in ("=1+1", "x" * 5000):
            response = client.post(
                reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk, "regenerate": value}
            )
            assert response.status_code == 302
        # NUL is refused at the boundary with its reason.
        response = client.post(
            reverse("reports:request"), {"kind": "application_pdf", "pk": application.pk, "regenerate": "1\x00"}
        )
        assert response.status_code == 400 and "NUL" in response.content.decode()
    assert ReportJob.objects.count() == 1

"""Publishing through a file: a province derives its own school form
from the Guangxi one — the Guangxi-only field removed, a field added, its own box title — imports it,
it is checked and published as a new immutable version in the province's scope, a call of that
province uses it, a school fills and submits it and its PDF prints the new labels and boxes, while the
Guangxi form's applications keep theirs. Each refusal of a publication is tested."""

import copy
import json
import subprocess

import pytest

from portal.core.exceptions import ServiceError
from portal.formspec import registry, services
from portal.formspec.models import FormSchema
from portal.formspec.registry import latest
from portal.orgs.choices import Role
from portal.programmes import callfiles
from portal.programmes.services.applications import start_application, submit_application
from tests.factories import make_user
from tests.programmes.helpers import complete_application


def derived_shanxi() -> dict:
    form = copy.deepcopy(latest("guangxi_school"))
    form.update(key="shanxi_school", version=1, attachment_no="附件2")
    del form["fields"]["textbook_ratio"]
    for section in form["sections"]:
        for item in section["items"]:
            for i, row in enumerate(item.get("rows", [])):
                if {"field": "textbook_ratio"} in row:
                    item["rows"][i] = [
                        {"label": "教师信息技术应用能力培训覆盖率"},
                        {"field": "training_coverage", "colspan": 3},
                    ]
    form["fields"]["ai_course"] = {
        "kind": "textarea",
        "label": "人工智能教育开展情况",
        "required": True,
        "max_chars": 500,
    }
    form["sections"].insert(-1, {"title": "", "items": [{"type": "block", "field": "ai_course"}]})
    for box in form["opinions"]:
        if box["level"] == "province":
            box["label"] = "山西省教育厅意见"
    return form


@pytest.fixture
def shanxi_admin(tree):
    return make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin")


def shanxi_call(actor):
    from datetime import timedelta

    from django.utils import timezone

    data = callfiles.read("guangxi-2023.json")
    data["programme"] = {"code": "sx-fusion", "name": "山西省信息化融合创新实验校", "organisation": "140000"}
    data["call"] = {
        **data["call"],
        "title": "山西省信息化融合创新实验校申报",
        "document_number": "晋教信〔2026〕9号",
        "issuing_authority": "山西省教育厅",
    }
    data["forms"] = {"school": "shanxi_school"}
    data["excluded_calls"], data["quotas"] = [], []
    return callfiles.load_call(actor=actor, data=data, opens_at=timezone.now() - timedelta(days=1))


def test_a_province_publishes_its_own_form_and_a_school_files_it(
    shanxi_admin, tree, role_users, calls, submitted, school_user
):
    guangxi_before = submitted(school_user, calls.guangxi)
    schema = services.publish(actor=shanxi_admin, definition=derived_shanxi())
    assert (schema.key, schema.version, schema.owner, schema.published_by) == (
        "shanxi_school",
        1,
        tree.other_province,
        shanxi_admin,
    )
    # In Shanxi's scope, not in Guangxi's.
    assert [r.key for r in registry.published_in_scope(shanxi_admin)] == ["shanxi_school"]
    assert registry.published_in_scope(role_users[Role.PROVINCE_ADMIN]) == []
    assert [r.key for r in registry.published_in_scope(role_users[Role.MINISTRY_REVIEWER])] == ["shanxi_school"]
    call = shanxi_call(shanxi_admin)
    school = make_user(Role.SCHOOL_APPLICANT, tree.other_school)
    application = complete_application(start_application(actor=school, call=call), school)
    assert application.schema == schema
    version = submit_application(actor=school, application=application)
    assert "ai_course" in version.content["values"] and "textbook_ratio" not in version.content["values"]
    from portal.reports.pdf import application_pdf

    data, _ = application_pdf(application, school)
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode().split()
    )
    assert "人工智能教育开展情况" in text and "山西省教育厅意见" in text and "附件2" in text
    assert "广西数字教材" not in text and "自治区教育厅意见" not in text
    # The Guangxi form and its applications are untouched.
    guangxi_before.refresh_from_db()
    assert (
        guangxi_before.schema.key == "guangxi_school" and "textbook_ratio" in guangxi_before.schema.definition["fields"]
    )
    assert registry.schema_for("guangxi_school").definition["opinions"][-1]["label"] == "自治区教育厅意见"


def test_the_call_page_offers_a_published_form_in_scope_only(client, shanxi_admin, role_users):
    services.publish(actor=shanxi_admin, definition=derived_shanxi())
    client.force_login(shanxi_admin)
    assert 'value="shanxi_school"' in client.get("/calls/new/").content.decode()
    client.force_login(role_users[Role.PROVINCE_ADMIN])
    assert 'value="shanxi_school"' not in client.get("/calls/new/").content.decode()


@pytest.mark.parametrize(
    "change, field, words",
    [
        (lambda d: d.update(key="guangxi_school", version=3), "key", "由平台定义文件维护"),
        (lambda d: d.update(version=2), "version", "应为 1"),
        (lambda d: d["fields"]["ai_course"].update(max_chars=0), "fields.ai_course.max_chars", "上限须为正整数"),
        (lambda d: d["computed"]["student_ratio"].update(num="org_name"), "computed.student_ratio", "不是数值字段"),
    ],
)
def test_a_publication_is_refused_with_the_place_and_reason(shanxi_admin, change, field, words):
    form = derived_shanxi()
    change(form)
    with pytest.raises(ServiceError) as refused:
        services.publish(actor=shanxi_admin, definition=form)
    assert any(words in m for m in refused.value.errors[field]), refused.value.errors
    assert not FormSchema.objects.filter(owner__isnull=False).exists()


def test_versions_follow_on_and_a_key_is_its_publishers(shanxi_admin, role_users):
    services.publish(actor=shanxi_admin, definition=derived_shanxi())
    again = derived_shanxi()
    with pytest.raises(ServiceError, match="下一个版本应为第 2 版"):
        services.publish(actor=shanxi_admin, definition=again)  # version 1 cannot be rewritten
    again["version"] = 2
    assert services.publish(actor=shanxi_admin, definition=again).version == 2
    assert registry.schema_for("shanxi_school").version == 2
    theirs = derived_shanxi()
    theirs["version"] = 3
    with pytest.raises(ServiceError, match="已由山西省教育厅使用"):
        services.publish(actor=role_users[Role.PROVINCE_ADMIN], definition=theirs)
    with pytest.raises(PermissionError):
        services.publish(actor=role_users[Role.CITY_REVIEWER], definition=derived_shanxi())


def test_the_import_page_and_the_api_publish_and_refuse(client, shanxi_admin, role_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(shanxi_admin)
    bad = SimpleUploadedFile("x.json", b"{not json", content_type="application/json")
    response = client.post("/forms/import/", {"file": bad})
    assert response.status_code == 400 and "不是有效的 UTF-8 JSON" in response.content.decode()
    repeated = b'{"key": "a", "key": "b"}'
    response = client.post("/forms/import/", {"file": SimpleUploadedFile("r.json", repeated)})
    assert response.status_code == 400 and "出现了两次" in response.content.decode()
    good = json.dumps(derived_shanxi(), ensure_ascii=False).encode()
    response = client.post("/forms/import/", {"file": SimpleUploadedFile("shanxi_school.v1.json", good)})
    assert response.status_code == 302 and response["Location"] == "/forms/shanxi_school/v1/"
    assert "山西省教育厅发布" in client.get("/forms/").content.decode()
    from portal.accounts.tokens import issue

    api = client.__class__()
    api.defaults["HTTP_AUTHORIZATION"] = f"Token {issue(shanxi_admin)[1]}"
    second = derived_shanxi()
    second["version"] = 2
    made = api.post("/api/v1/forms/", {"definition": second}, content_type="application/json")
    assert made.status_code == 201 and made.json()["version"] == 2 and made.json()["owner"] == "山西省教育厅"
    refused = api.post("/api/v1/forms/", {"definition": {**second, "version": 9}}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"]["version"] == ["应为 3。"]
    assert api.post("/api/v1/forms/", "[1]", content_type="application/json").status_code == 400
    school = client.__class__()
    school.defaults["HTTP_AUTHORIZATION"] = f"Token {issue(role_users[Role.SCHOOL_APPLICANT])[1]}"
    assert school.post("/api/v1/forms/", {"definition": second}, content_type="application/json").status_code == 403
    from portal.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="formspec.definition.publish").count() == 2

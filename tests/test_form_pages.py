"""Every published definition listed with its blank web form as a
preview, its file exported (audited, the same document as in fixtures/forms/), a version kept only with
its applications still listed, the differences between two versions shown, and the same through the
API."""

import copy
import json

import pytest

from portal.audit.models import AuditEntry
from portal.formspec import files
from portal.formspec.models import FormSchema
from portal.formspec.registry import canonical_json, fingerprint, latest
from portal.orgs.choices import Role


@pytest.fixture
def reader(client, role_users):
    client.force_login(role_users[Role.PROVINCE_ADMIN])
    return client


@pytest.fixture
def retired(db):
    """Guangxi school form version 1, as an older deployment stored it beside its applications."""
    old = copy.deepcopy(latest("guangxi_school"))
    old["version"] = 1
    old["fields"]["textbook_ratio"]["label"] = "数字教材应用教师比例"
    del old["fields"]["wifi"]
    old["opinions"][-1]["label"] = "省教育厅意见"
    return FormSchema.objects.create(
        key="guangxi_school",
        version=1,
        title=old["title"],
        sha256=fingerprint(old),
        source=json.dumps(old, ensure_ascii=False),
    )


def test_the_list_shows_every_published_version(reader, retired):
    page = reader.get("/forms/").content.decode()
    for title in (
        "基础教育信息化融合创新实验校申请表",
        "基础教育信息化融合创新实验区申请表",
        "学校信息化教育教学发展规划",
    ):
        assert title in page
    assert page.count('data-testid="definition-row"') == 6 and "已停用" in page


def test_the_preview_is_the_blank_web_form_with_its_boxes(reader):
    page = reader.get("/forms/guangxi_school/v2/").content.decode()
    assert "广西数字教材规模化应用教师比例" in page and 'name="textbook_ratio"' in page
    assert "<fieldset disabled>" in page  # a preview cannot be submitted
    assert "自治区教育厅意见" in page and "县级教育行政部门推荐意见" in page
    assert reader.get("/forms/guangxi_school/v9/").status_code == 404
    assert reader.get("/forms/no_such_form/v1/").status_code == 404


def test_the_export_is_the_file_and_is_audited(reader):
    response = reader.get("/forms/school_dev_plan/v1/export/")
    assert response.status_code == 200 and response["Content-Disposition"].endswith(
        'filename="school_dev_plan.v1.json"'
    )
    exported = json.loads(response.content)
    on_disk = files.read(files.directory() / "school_dev_plan.v1.json")
    assert canonical_json(exported) == canonical_json(on_disk)
    entry = AuditEntry.objects.get(action="formspec.definition.export")
    assert entry.data["key"] == "school_dev_plan" and entry.data["sha256"] == fingerprint(on_disk)


def test_two_versions_are_compared_field_by_field(reader, retired):
    page = reader.get("/forms/guangxi_school/compare/?from=1&to=2").content.decode()
    assert "数字教材应用教师比例" in page and "广西数字教材规模化应用教师比例" in page
    assert "无线校园是否全覆盖" in page  # added in version 2
    assert "省教育厅意见" in page and "自治区教育厅意见" in page
    assert "两个版本相同" in reader.get("/forms/guangxi_school/compare/?from=2&to=2").content.decode()
    assert reader.get("/forms/guangxi_school/compare/?from=7").status_code == 404


def test_the_api_lists_and_returns_definitions(client, role_users, retired):
    from portal.accounts.tokens import issue

    client.defaults["HTTP_AUTHORIZATION"] = f"Token {issue(role_users[Role.SCHOOL_APPLICANT])[1]}"
    listed = {(f["key"], f["version"]): f for f in client.get("/api/v1/forms/").json()}
    assert listed[("guangxi_school", 1)]["in_files"] is False and listed[("school_dev_plan", 1)]["use"] == "project"
    detail = client.get("/api/v1/forms/guangxi_zone/2/").json()
    assert detail["definition"] == json.loads(json.dumps(latest("guangxi_zone")))
    assert client.get("/api/v1/forms/guangxi_zone/3/").status_code == 404

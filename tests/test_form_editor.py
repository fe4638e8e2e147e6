"""A province administrator derives a draft from a published
definition, saves it as typed (problems listed with their paths, an optimistic lock against a second
editor, hostile bodies refused with a reason), previews it (web form and the PDF's pages, years filled
for the chosen call year) and publishes it as the next version. Another province's administrator never
learns the draft exists; the draft's steps are audited."""

import json
import subprocess

import pytest

from portal.audit.models import AuditEntry as AuditLog
from portal.formspec import drafts
from portal.formspec.models import FormDraft, FormSchema
from portal.formspec.registry import latest
from portal.orgs.choices import Role
from tests.factories import make_user


@pytest.fixture
def shanxi_admin(tree):
    return make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin")


@pytest.fixture
def draft(shanxi_admin):
    return drafts.derive(actor=shanxi_admin, key="guangxi_school", version=2)


def post_json(client, url, payload, **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload, ensure_ascii=False)
    return client.post(url, data=body, content_type="application/json", **extra)


def zhejiang_like(definition: dict) -> dict:
    """The walk's edits as the editor makes them: the Guangxi-only field gone (its row closed up), a field
    added, the years relative to the call, the province's box titled by the province's word."""
    d = json.loads(json.dumps(definition))
    del d["fields"]["textbook_ratio"]
    for section in d["sections"]:
        for item in section["items"]:
            for i, row in enumerate(item.get("rows", [])):
                if {"field": "textbook_ratio"} in row:
                    item["rows"][i] = [
                        {"label": "教师信息技术应用能力培训覆盖率"},
                        {"field": "training_coverage", "colspan": 3},
                    ]
                for cell in row:
                    if cell.get("label", "").startswith("202"):
                        cell["label"] = "{year-" + str(2023 - int(cell["label"][:4])) + "}年"
    for year in (2020, 2021, 2022):
        spec = d["fields"][f"invest_{year}"]
        spec["label"], spec["title"] = f"{{year-{2023 - year}}}年", f"{{year-{2023 - year}}}年投入经费"
    d["fields"]["ai_ratio"] = {
        "kind": "decimal",
        "label": "人工智能课程开课率",
        "unit": "%",
        "places": 1,
        "max_value": 100,
        "required": True,
    }
    d["sections"][1]["items"][0]["rows"].append([{"label": "人工智能课程开课率"}, {"field": "ai_ratio", "colspan": 3}])
    d["computed"]["invest_avg"] = {
        "label": "近3年年均投入（万元）",
        "op": "expr",
        "expr": "round((invest_2020 + invest_2021 + invest_2022) / 3, 2)",
    }
    d["sections"][1]["items"][1]["rows"].append([{"label": "年均"}, {"computed": "invest_avg", "colspan": 2}])
    for box in d["opinions"]:
        if box["level"] == "province":
            box["label"] = "{province}教育厅意见"
    d["attachments"] = ["学校信息化发展规划", "近3年信息化经费投入证明"]
    return d


def test_deriving_copies_the_version_under_a_key_of_the_province(draft, shanxi_admin, tree):
    assert (draft.owner, draft.key, draft.base_key, draft.base_version, draft.revision) == (
        tree.other_province,
        "p140000_school",
        "guangxi_school",
        2,
        1,
    )
    definition = draft.definition
    assert definition["key"] == "p140000_school" and definition["version"] == 1
    assert definition["fields"] == latest("guangxi_school")["fields"]
    assert definition["sections"] == latest("guangxi_school")["sections"]
    assert AuditLog.objects.filter(action="formspec.draft.derive", actor=shanxi_admin).exists()


def test_the_editor_saves_as_typed_and_points_at_each_problem(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    page = client.get(f"/forms/drafts/{draft.pk}/")
    assert page.status_code == 200 and b"form-editor.js" in page.content
    broken = draft.definition
    broken["fields"]["classes"]["max_chars"] = -1
    broken["computed"]["student_ratio"]["den"] = "no_such_field"
    answer = post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": broken})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["revision"] == 2
    paths = {p["path"]: p["message"] for p in body["problems"]}
    assert paths["fields.classes.max_chars"] == "上限须为正整数。"
    draft.refresh_from_db()
    assert draft.definition["fields"]["classes"]["max_chars"] == -1  # kept as typed: nothing lost
    assert AuditLog.objects.filter(action="formspec.draft.save").count() == 1


def test_two_editors_never_overwrite_each_other(client, draft, shanxi_admin, tree):
    colleague = make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_admin2", real_name="李卫东")
    client.force_login(colleague)
    first = draft.definition
    first["title"] = "同事改的标题"
    assert post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": first}).status_code == 200
    client.force_login(shanxi_admin)
    mine = draft.definition
    mine["title"] = "我改的标题"
    answer = post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": mine})
    assert answer.status_code == 409
    assert "李卫东" in answer.json()["detail"] and answer.json()["definition"]["title"] == "同事改的标题"
    draft.refresh_from_db()
    assert draft.definition["title"] == "同事改的标题"


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{not json", "不是有效的 JSON"),
        (b"[1, 2]", "须为 JSON 对象"),
        (json.dumps({"revision": 1, "definition": "text"}).encode(), "须为 JSON 对象"),
        (json.dumps({"definition": {}}).encode(), "修订号"),
        (json.dumps({"revision": 1, "definition": {"title": "a\u0000b"}}).encode(), "空字符"),
        (b"\xff\xfe", "不是有效的 JSON"),
        (json.dumps({"revision": 1, "definition": {"t": "x" * 600_000}}).encode(), "过大"),
    ],
)
def test_hostile_bodies_are_refused_with_a_reason(client, draft, shanxi_admin, body, reason):
    client.force_login(shanxi_admin)
    answer = client.post(f"/forms/drafts/{draft.pk}/save/", data=body, content_type="application/json")
    assert answer.status_code == 400 and reason in answer.json()["detail"]
    draft.refresh_from_db()
    assert draft.revision == 1


def test_a_body_that_is_not_json_is_refused(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    answer = client.post(f"/forms/drafts/{draft.pk}/save/", {"revision": "1", "definition": "{}"})
    assert answer.status_code == 400 and "application/json" in answer.json()["detail"]


def test_another_province_and_a_school_never_reach_the_draft(client, draft, role_users):
    guangxi = role_users[Role.PROVINCE_ADMIN]
    client.force_login(guangxi)
    for url in (
        f"/forms/drafts/{draft.pk}/",
        f"/forms/drafts/{draft.pk}/preview/",
        f"/forms/drafts/{draft.pk}/preview.pdf",
    ):
        assert client.get(url).status_code == 404
    assert post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": {}}).status_code == 404
    assert client.post(f"/forms/drafts/{draft.pk}/publish/", {"revision": 1}).status_code == 404
    client.force_login(role_users[Role.SCHOOL_APPLICANT])
    assert client.get(f"/forms/drafts/{draft.pk}/").status_code == 403
    assert client.post("/forms/guangxi_school/v2/derive/").status_code == 403


def test_preview_shows_the_web_form_and_the_print_for_the_chosen_year(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    edited = zhejiang_like(draft.definition)
    assert (
        post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": edited}).json()["problems"]
        == []
    )
    whole = client.get(f"/forms/drafts/{draft.pk}/preview/?year=2026").content.decode()
    assert 'data-testid="publish-draft"' in whole
    page = whole[whole.index('data-testid="definition-preview"') :]  # the panes (the changes show placeholders)
    assert "2023年" in page and "2025年" in page and "{year" not in page and "人工智能课程开课率" in page
    assert "广西数字教材" not in page and "省教育厅意见" in page and "自治区教育厅意见" not in page
    assert page.count('alt="样张第') >= 2
    pdf = client.get(f"/forms/drafts/{draft.pk}/preview.pdf?year=2026")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "2023年" in text and "2025年" in text and "山西" not in text and "省教育厅意见" in text
    assert "样张" in text and "核验码" not in text and "学校信息化发展规划" in text
    # A later edit shows in the next preview: the print is made from the draft as it stands, never kept.
    edited["title"] = "浙江省基础教育信息化融合创新实验校申请表"
    assert (
        post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 2, "definition": edited}).status_code == 200
    )
    again = client.get(f"/forms/drafts/{draft.pk}/preview.pdf?year=2027")
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=again.content, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "浙江省基础教育信息化融合创新实验校申请表" in text and "2024年" in text and "2023年" not in text
    assert again["Cache-Control"] == "no-store"


def test_publishing_makes_the_next_immutable_version(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    edited = zhejiang_like(draft.definition)
    post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": edited})
    # What was previewed is what is published: a stale revision is sent back to the preview.
    stale = client.post(f"/forms/drafts/{draft.pk}/publish/", {"revision": 1})
    assert stale.status_code == 302 and not FormSchema.objects.filter(key="p140000_school").exists()
    answer = client.post(f"/forms/drafts/{draft.pk}/publish/", {"revision": 2})
    assert answer.status_code == 302 and answer["Location"] == "/forms/p140000_school/v1/"
    schema = FormSchema.objects.get(key="p140000_school")
    assert schema.version == 1 and schema.definition["opinions"][-1]["label"] == "{province}教育厅意见"
    assert client.get(f"/forms/drafts/{draft.pk}/").status_code == 404  # closed once published
    from django.utils import timezone

    shown = client.get("/forms/p140000_school/v1/").content.decode()
    this_year = timezone.localdate().year
    assert "随申报批次变化" in shown and f"{this_year - 3}年" in shown and "{year" not in shown
    assert AuditLog.objects.filter(action="formspec.draft.publish").exists()
    # A second draft of the same key becomes its version 2.
    again = drafts.derive(actor=shanxi_admin, key="p140000_school", version=1)
    assert (again.key, again.definition["version"]) == ("p140000_school", 2)


def test_a_draft_with_problems_is_not_published(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    broken = draft.definition
    broken["computed"]["student_ratio"]["op"] = "expr"
    broken["computed"]["student_ratio"]["expr"] = "students / __import__"
    post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": broken})
    page = client.get(f"/forms/drafts/{draft.pk}/preview/").content.decode()
    assert "computed.student_ratio.expr" in page and 'data-testid="publish-draft"' not in page
    client.post(f"/forms/drafts/{draft.pk}/publish/", {"revision": 2})
    assert not FormSchema.objects.filter(key="p140000_school").exists()
    assert client.get(f"/forms/drafts/{draft.pk}/preview.pdf").status_code == 409


def test_the_official_key_cannot_be_taken_by_a_draft(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    definition = draft.definition
    definition["key"] = "guangxi_school"
    problems = post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": definition}).json()[
        "problems"
    ]
    assert [p["path"] for p in problems] == ["key"]


def test_discarding_a_draft_is_audited_with_its_form_key(client, draft, shanxi_admin):
    pk, key = draft.pk, draft.key
    client.force_login(shanxi_admin)
    assert client.post(f"/forms/drafts/{draft.pk}/discard/").status_code == 302
    assert not FormDraft.objects.exists()
    logged = AuditLog.objects.get(action="formspec.draft.discard")
    assert logged.data == {"key": key} and logged.object_id == str(pk)
    assert logged.actor_username == shanxi_admin.username


def test_another_provinces_forms_and_drafts_are_not_listed(client, draft, shanxi_admin, role_users):
    client.force_login(shanxi_admin)
    post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": zhejiang_like(draft.definition)})
    client.post(f"/forms/drafts/{draft.pk}/publish/", {"revision": 2})
    drafts.derive(actor=shanxi_admin, key="p140000_school", version=1)
    own = client.get("/forms/").content.decode()
    assert "p140000_school" in own and 'data-testid="draft-row"' in own
    assert "p140000_school" in {row["key"] for row in client.get("/api/v1/forms/").json()}
    for role in (Role.PROVINCE_ADMIN, Role.SCHOOL_APPLICANT):
        client.force_login(role_users[role])
        page = client.get("/forms/").content.decode()
        assert "p140000_school" not in page and 'data-testid="draft-row"' not in page
        assert "p140000_school" not in {row["key"] for row in client.get("/api/v1/forms/").json()}
        assert client.get("/forms/p140000_school/v1/").status_code == 404
        assert client.get("/api/v1/forms/p140000_school/1/").status_code == 404


@pytest.mark.parametrize(
    "path, words",
    [
        ("fields.classes.max_chars", "字段“班级数”的字数上限"),
        ("fields.participants.columns[1].max_chars", "字段“参与单位（部门）及责任人”的列第2项的字数上限"),
        ("computed.student_ratio.expr", "计算项“生机比”的计算式"),
        ("sections[1].items[0].rows[6][1]", "第2栏第1项第7行第2格"),
        ("opinions[4].label", "第5个意见栏的标题"),
        ("attachments[0]", "附件清单第1项"),
        ("key", "表单标识"),
    ],
)
def test_a_problem_is_named_by_its_place_in_words(path, words):
    from portal.formspec.validate import where

    assert where(path, latest("guangxi_school")) == words


def test_a_shared_file_is_imported_as_a_draft_under_the_importers_key(client, draft, shanxi_admin, role_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(shanxi_admin)
    post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": zhejiang_like(draft.definition)})
    client.post(f"/forms/drafts/{draft.pk}/publish/", {"revision": 2})
    shared = client.get("/forms/p140000_school/v1/export/").content
    guangxi = role_users[Role.PROVINCE_ADMIN]
    client.force_login(guangxi)
    answer = client.post(
        "/forms/import/", {"as_draft": "1", "file": SimpleUploadedFile("p140000_school.v1.json", shared)}
    )
    assert answer.status_code == 302
    imported = FormDraft.objects.get(owner__code="450000")
    assert answer["Location"] == f"/forms/drafts/{imported.pk}/"
    assert (imported.key, imported.definition["version"], imported.base_key) == ("p450000_school", 1, "p140000_school")
    assert imported.definition["fields"]["ai_ratio"]["label"] == "人工智能课程开课率"
    page = client.get(f"/forms/drafts/{imported.pk}/preview/")
    assert page.status_code == 200 and 'data-testid="draft-changes"' not in page.content.decode()
    assert AuditLog.objects.filter(action="formspec.draft.import", actor=guangxi).exists()
    # Not a definition: refused with the reason, nothing created.
    bad = client.post("/forms/import/", {"as_draft": "1", "file": SimpleUploadedFile("x.json", b'{"title": "x"}')})
    assert bad.status_code == 400 and "不是表单定义文件" in bad.content.decode()
    nul = json.loads(shared)
    nul["title"] = "含\u0000空字符"
    bad = client.post(
        "/forms/import/", {"as_draft": "1", "file": SimpleUploadedFile("nul.json", json.dumps(nul).encode())}
    )
    assert bad.status_code == 400 and "空字符" in bad.content.decode()
    assert FormDraft.objects.filter(owner__code="450000").count() == 1


def test_the_preview_lists_the_changes_from_the_base(client, draft, shanxi_admin):
    client.force_login(shanxi_admin)
    post_json(client, f"/forms/drafts/{draft.pk}/save/", {"revision": 1, "definition": zhejiang_like(draft.definition)})
    page = client.get(f"/forms/drafts/{draft.pk}/preview/").content.decode()
    changes = page[page.index('data-testid="draft-changes"') : page.index("</details>")]
    for text in (
        "广西数字教材规模化应用教师比例",
        "人工智能课程开课率",
        "{year-3}年",
        "{province}教育厅意见",
        "附件清单",
        "学校信息化发展规划",
        "计算项 近3年年均投入（万元）",
    ):
        assert text in changes, text


def test_the_list_and_the_editor_make_the_same_number_of_queries_for_1_and_6_drafts(client, draft, shanxi_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(shanxi_admin)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = [count("/forms/"), count(f"/forms/drafts/{draft.pk}/")]
    for _ in range(5):
        drafts.derive(actor=shanxi_admin, key="guangxi_school", version=2)
    assert [count("/forms/"), count(f"/forms/drafts/{draft.pk}/")] == one
    assert one[1] <= 15


def test_the_ministry_derives_a_national_form_and_a_province_its_own(role_users):
    ministry = drafts.derive(actor=role_users[Role.MINISTRY_REVIEWER], key="national_zone", version=3)
    assert (ministry.owner.code, ministry.key) == ("MOE", "pmoe_zone")
    province = drafts.derive(actor=role_users[Role.PROVINCE_ADMIN], key="national_zone", version=3)
    assert (province.owner.code, province.key) == ("450000", "p450000_zone")
    assert ministry.definition["unboxed"] == "appendix"  # the stated default travels with the copy
    with pytest.raises(PermissionError):
        drafts.derive(actor=role_users[Role.CITY_REVIEWER], key="national_zone", version=3)

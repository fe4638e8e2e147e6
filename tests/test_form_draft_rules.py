"""The form publisher's draft rules that the editor's walk does not show one by one: a shared definition
file is imported under its own key when that key is free for this province (else under one of the
province's own), numbered as the key's next version, with where it came from kept and audited; a file
that is not a definition says what is missing. Publishing refuses a draft published already, one
changed since it was previewed, and one with problems (counted, each at its path), and is audited."""

from __future__ import annotations

import json

import pytest

from portal.audit.models import AuditEntry
from portal.core.exceptions import ServiceError
from portal.formspec import drafts
from portal.formspec.models import FormDraft
from portal.formspec.registry import schema_for
from portal.orgs.choices import Role
from tests.factories import make_user


@pytest.fixture
def shanxi_admin(tree):
    return make_user(Role.PROVINCE_ADMIN, tree.other_province, username="sx_drafts")


def shared(**changes) -> dict:
    """Guangxi's school form as another province would export and share it."""
    definition = json.loads(json.dumps(schema_for("guangxi_school").definition))
    definition.update(changes)
    return definition


def test_a_file_that_is_not_a_definition_says_what_is_missing(shanxi_admin):
    with pytest.raises(ServiceError) as refused:
        drafts.import_draft(actor=shanxi_admin, definition=["not", "a", "form"], name="表单.json")
    assert refused.value.message == "表单.json：内容须为 JSON 对象。"
    partial = {k: v for k, v in shared().items() if k not in ("title", "fields")}
    with pytest.raises(ServiceError) as refused:
        drafts.import_draft(actor=shanxi_admin, definition=partial, name="表单.json")
    assert refused.value.message == "表单.json：缺少 title、fields，不是表单定义文件。"
    assert not FormDraft.objects.exists()


def test_a_free_key_is_kept_and_numbered_as_its_next_version(shanxi_admin):
    name = "浙江" + "省" * 120 + ".json"
    draft = drafts.import_draft(actor=shanxi_admin, definition=shared(key="zj_school", version=3), name=name)
    assert draft.key == "zj_school" and draft.definition["key"] == "zj_school" and draft.definition["version"] == 1
    assert (draft.base_key, draft.base_version) == ("zj_school", 3)
    assert draft.created_by == shanxi_admin and draft.updated_by == shanxi_admin
    logged = AuditEntry.objects.get(action="formspec.draft.import")
    assert logged.data == {"file": name[:100], "key": "zj_school", "from": "zj_school v3"}
    assert logged.object_id == str(draft.pk) and logged.actor_username == "sx_drafts"


@pytest.mark.parametrize(
    "key", ["guangxi_school", "ZJ School", ""], ids=["the portal's own file", "not a key", "blank"]
)
def test_a_key_that_is_not_free_or_not_a_key_becomes_the_provinces_own(shanxi_admin, key):
    draft = drafts.import_draft(actor=shanxi_admin, definition=shared(key=key, version=2), name="a.json")
    assert draft.key == "p140000_school" and draft.definition["key"] == "p140000_school"
    assert (draft.base_key, draft.base_version) == (key, 2)
    assert AuditEntry.objects.get(action="formspec.draft.import").data["from"] == f"{key} v2"


def test_a_key_or_version_of_the_wrong_type_counts_as_none(shanxi_admin):
    draft = drafts.import_draft(actor=shanxi_admin, definition=shared(key=42, version="3"), name="a.json")
    assert draft.key == "p140000_school" and (draft.base_key, draft.base_version) == ("", 0)
    assert AuditEntry.objects.get(action="formspec.draft.import").data["from"] == " v0"


@pytest.fixture
def draft(shanxi_admin):
    return drafts.derive(actor=shanxi_admin, key="guangxi_school", version=2)


def test_publishing_refuses_a_draft_changed_since_its_preview(shanxi_admin, draft):
    with pytest.raises(ServiceError) as refused:
        drafts.publish(actor=shanxi_admin, draft=draft, revision=draft.revision + 1)
    assert refused.value.message == "草稿在您预览之后又被修改过，请重新预览后再发布。"
    assert FormDraft.objects.get(pk=draft.pk).published_as is None


def test_publishing_refuses_a_draft_with_problems_each_at_its_path(shanxi_admin, draft):
    broken = {**draft.definition, "title": "", "version": 7}
    saved, _ = drafts.save(actor=shanxi_admin, draft=draft, definition=broken, revision=draft.revision)
    with pytest.raises(ServiceError) as refused:
        drafts.publish(actor=shanxi_admin, draft=saved, revision=saved.revision)
    found = drafts.check(broken)
    assert len(found) >= 1
    assert refused.value.message == f"表单定义有 {len(found)} 处问题，未发布。"
    assert refused.value.errors == {p.path: [p.message] for p in found}


def test_publishing_is_audited_and_happens_once(shanxi_admin, draft):
    schema = drafts.publish(actor=shanxi_admin, draft=draft, revision=draft.revision)
    assert FormDraft.objects.get(pk=draft.pk).published_as == schema
    logged = AuditEntry.objects.get(action="formspec.draft.publish")
    assert logged.data == {"key": schema.key, "version": schema.version} and logged.object_id == str(draft.pk)
    assert logged.actor_username == "sx_drafts"
    with pytest.raises(ServiceError) as refused:
        drafts.publish(actor=shanxi_admin, draft=FormDraft.objects.get(pk=draft.pk), revision=draft.revision)
    assert refused.value.message == "此草稿已发布。"


def test_a_long_foreign_key_is_kept_as_its_first_forty_characters(shanxi_admin):
    long_key = "zhejiang_" + "x" * 40
    draft = drafts.import_draft(actor=shanxi_admin, definition=shared(key=long_key, version=1), name="a.json")
    assert draft.key == "p140000_school" and FormDraft.objects.get(pk=draft.pk).base_key == long_key[:40]


def test_a_key_the_province_already_holds_is_kept_and_numbered_after_its_published_versions(shanxi_admin):
    first = drafts.import_draft(actor=shanxi_admin, definition=shared(key="zj_school", version=3), name="a.json")
    again = drafts.import_draft(actor=shanxi_admin, definition=shared(key="zj_school", version=3), name="a.json")
    assert (again.key, again.definition["version"]) == ("zj_school", 1)  # its own draft's key, not another's
    drafts.publish(actor=shanxi_admin, draft=first, revision=first.revision)
    third = drafts.import_draft(actor=shanxi_admin, definition=shared(key="zj_school", version=3), name="a.json")
    assert (third.key, third.definition["version"]) == ("zj_school", 2)

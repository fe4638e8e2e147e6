"""The forms' definitions are documents in fixtures/forms/, the only source — the
registry holds exactly what the files say, a malformed file is refused naming the file and the reason,
and a changed file under a stored version is refused (old applications would change meaning)."""

import json
import shutil

import pytest

from portal.formspec import files
from portal.formspec.registry import _DEFINITIONS, DefinitionChanged, definitions, fingerprint, schema_for

OFFICIAL = {
    ("national_zone", 2),
    ("national_zone", 3),
    ("guangxi_zone", 2),
    ("guangxi_school", 2),
    ("school_dev_plan", 1),
}


def test_the_registry_holds_exactly_the_files():
    from_files = {(d["key"], d["version"]): fingerprint(d) for d in map(files.read, files.directory().glob("*.json"))}
    assert set(from_files) == OFFICIAL
    assert {(d["key"], d["version"]): fingerprint(d) for d in definitions()} == from_files


def test_no_definition_is_kept_in_code():
    import pathlib

    root = pathlib.Path(files.__file__).resolve().parents[2]
    for package in ("portal", "zones", "schools", "budgets", "evaluation"):
        for source in (root / package).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            assert '"学校规范名称（盖章）"' not in text and 'key="guangxi_school"' not in text, source


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("guangxi_school.json", "{}", "文件名须为"),
        ("demo.v1.json", "{not json", "不是有效的 UTF-8 JSON"),
        ("demo.v1.json", "[1, 2]", "内容须为 JSON 对象"),
        ("demo.v1.json", '{"key": "demo", "version": 1}', "缺少 title、applicant、fields、sections、opinions"),
        (
            "demo.v2.json",
            '{"key": "demo", "version": 1, "title": "x", "applicant": "school", "fields": {},'
            ' "sections": [], "opinions": []}',
            "文件名与其中的 key/version",
        ),
    ],
)
def test_a_file_that_is_not_a_definition_is_refused_with_its_name(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(files.DefinitionFileError) as refused:
        files.read(path)
    assert str(refused.value).startswith(name) and reason in str(refused.value)


def test_a_changed_file_under_a_stored_version_is_refused(db, tmp_path, settings):
    schema_for("guangxi_school")  # stored as the applications use it
    copy = tmp_path / "fixtures"
    shutil.copytree(files.directory().parent, copy)
    path = copy / "forms" / "guangxi_school.v2.json"
    changed = json.loads(path.read_text(encoding="utf-8"))
    changed["fields"]["textbook_ratio"]["label"] = "数字教材规模化应用教师比例"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    settings.PORTAL_FIXTURES_DIR = copy
    saved = dict(_DEFINITIONS)
    try:
        files.load_all()
        with pytest.raises(DefinitionChanged):
            schema_for("guangxi_school")
    finally:
        _DEFINITIONS.clear()
        _DEFINITIONS.update(saved)

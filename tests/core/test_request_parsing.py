"""The one reading of JSON bodies and of ids and numbers sent as text (portal/core/boundary.py): a nesting
too deep to walk, text that is not UTF-8 or not JSON, digits beyond what a column holds or that are not
ASCII — each refused with a reason, never by an exception from deep inside Python."""

import pytest

from portal.core.boundary import MAX_ID_DIGITS, MAX_JSON_DEPTH, BadJSON, has_nul, json_depth, load_json, parse_id


@pytest.mark.parametrize(
    "text, depth",
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[", "]]]"]', 1),
        (r'["\"[[", 2]', 1),
        ("[" * 400 + "]" * 400, 400),
    ],
)
def test_the_depth_is_counted_outside_strings(text, depth):
    assert json_depth(text) == depth


def test_nesting_at_the_limit_is_read_and_one_more_level_is_refused():
    at_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert load_json(at_limit) == eval(at_limit)  # noqa: S307 — a literal list of lists
    with pytest.raises(BadJSON, match=f"嵌套超过 {MAX_JSON_DEPTH} 层"):
        load_json("[" + at_limit + "]")
    with pytest.raises(BadJSON, match="嵌套超过"):
        load_json(b'{"a":' * 5000 + b"1" + b"}" * 5000)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\xff\xfe", "不是有效的 JSON：不是 UTF-8"),
        (b"{", "不是有效的 JSON（第 1 行第 2 列"),
        ("[1,]", "不是有效的 JSON"),
    ],
)
def test_what_is_not_json_is_refused_with_where(data, reason):
    with pytest.raises(BadJSON, match=reason.replace("（", r"（").replace("(", r"\(")):
        load_json(data)


def test_a_nul_is_found_however_deep_it_lies():
    deep = "a\x00"
    for _ in range(5000):
        deep = [deep]
    assert has_nul(deep) and not has_nul([[["a"]], {"k": ("v",)}])
    assert has_nul({"k\x00": 1})


@pytest.mark.parametrize(
    "raw, value",
    [
        ("0", 0),
        (" 42 ", 42),
        (42, 42),
        ("9" * MAX_ID_DIGITS, int("9" * MAX_ID_DIGITS)),
        ("9" * (MAX_ID_DIGITS + 1), None),
        ("9" * 5000, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        (-1, None),
        ("1.0", None),
        ("", None),
        (None, None),
        (True, None),
        ("１２", None),
        ("1e3", None),
    ],
)
def test_an_id_is_ascii_digits_and_no_longer_than_a_column_holds(raw, value):
    assert parse_id(raw) == value
    assert parse_id(raw, default=-1) == (-1 if value is None else value)

"""JSONPick reads several keys of a JSON column as one array, on SQLite and on PostgreSQL alike."""

import pytest

from portal.audit.models import AuditEntry
from portal.core.json_paths import JSONPick

pytestmark = pytest.mark.django_db


def test_picks_nested_keys_in_order_with_types_kept_and_missing_as_none():
    AuditEntry.objects.create(
        action="t",
        data={
            "values": {
                "name": "南宁市第一中学",
                "amount": "12.5",
                "list": ["1", "3"],
                "quote": 'a"b',
                "中文键": 7,
                "flag": True,
            },
            "computed": {"ratio": "1:5", "count": 12},
        },
    )
    picked = AuditEntry.objects.values_list(
        JSONPick(
            "data",
            [
                ("values", "name"),
                ("values", "amount"),
                ("values", "list"),
                ("computed", "count"),
                ("computed", "ratio"),
                ("values", "absent"),
                ("values", "中文键"),
                ("values", "flag"),
                ("values", "quote"),
            ],
        ),
        flat=True,
    ).get()
    assert picked == ["南宁市第一中学", "12.5", ["1", "3"], 12, "1:5", None, 7, True, 'a"b']


def test_one_path_is_refused_because_sqlite_would_not_return_an_array():
    with pytest.raises(ValueError):
        JSONPick("data", [("values", "name")])

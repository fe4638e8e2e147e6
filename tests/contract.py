"""The API's one error contract, asserted alike wherever a test meets a refusal or a conflict."""

from __future__ import annotations

CONFLICT_KEYS = {"detail", "current_version", "updated_by", "updated_at"}


def assert_conflict(response, *, version: int, by: str | None = None) -> dict:
    """A stale write: 409 with the one body — the revision to reload to, who saved it and when."""
    assert response.status_code == 409, response.content
    body = response.json()
    assert set(body) == CONFLICT_KEYS, body
    assert body["current_version"] == version and body["updated_at"] and body["detail"]
    if by is not None:
        assert body["updated_by"] == by
    return body

"""Form definitions are stored per version, in order, and cannot change under an old version."""

import copy

import pytest

from portal.formspec import registry
from portal.formspec.models import FormSchema


@pytest.mark.parametrize("key", ["national_zone", "guangxi_zone", "guangxi_school"])
def test_a_stored_definition_keeps_its_order(db, key):
    registry.schema_for(key)
    stored = FormSchema.objects.get(key=key).definition  # fresh from the database (jsonb would reorder)
    assert list(stored["fields"]) == list(registry.latest(key)["fields"])
    assert list(stored["computed"]) == list(registry.latest(key)["computed"])


def test_changing_a_definition_without_a_new_version_is_refused(db):
    registry.schema_for("guangxi_school")
    original = registry.latest("guangxi_school")
    changed = copy.deepcopy(original)
    changed["fields"]["work_basis"]["max_chars"] = 1200
    current, following = original["version"], original["version"] + 1
    registry.register(changed)
    try:
        with pytest.raises(registry.DefinitionChanged):
            registry.schema_for("guangxi_school")
        changed["version"] = following
        registry.register(changed)
        assert registry.schema_for("guangxi_school").version == following
        assert (
            FormSchema.objects.get(key="guangxi_school", version=current).definition["fields"]["work_basis"][
                "max_chars"
            ]
            == 1000
        )
    finally:
        registry._DEFINITIONS.pop(("guangxi_school", following), None)
        registry.register(original)

"""The README is what a newcomer reads first: short, its map of the apps true to the code, and every
page it sends them to there."""

import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _own_apps() -> list[str]:
    """The project's own apps as folders: `portal/orgs/`, `budgets/`."""
    return [
        config.name.replace(".", "/") + "/"
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and not Path(config.path).resolve().relative_to(ROOT).parts[0].startswith(".")  # the virtualenv
    ]


def _architecture() -> str:
    return README.split("## Architecture", 1)[1].split("\n## ", 1)[0]


def test_the_readme_is_read_in_ten_minutes():
    assert len(README.splitlines()) < 250


def test_the_architecture_places_every_app_in_the_layers_and_gives_it_a_row():
    section = _architecture()
    diagram = section.split("```", 2)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    for folder in _own_apps():
        assert folder in diagram, f"{folder} is missing from the layers"
        assert any(f"`{folder}`" in row for row in rows), f"{folder} has no row in the map"


def test_the_architecture_names_no_app_that_does_not_exist():
    named = set(re.findall(r"`((?:portal/)?[a-z_]+/)`", _architecture()))
    assert named <= set(_own_apps()) | {"templates/", "static/"}


def test_every_page_the_documentation_links_to_exists():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which is not there"


def test_every_documentation_page_is_in_the_readme_index():
    for page in (ROOT / "docs").glob("*.md"):
        assert f"(docs/{page.name})" in README, f"docs/{page.name} is not in the README's index"

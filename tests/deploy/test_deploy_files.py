"""The deployment files say what the README says: migrations as the owner, everything else as the
application's role, and the CI set-up makes both roles."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_migrations_as_the_owner_and_the_rest_as_the_application_role():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://portal:")
    assert services["migrate"]["environment"]["PORTAL_DB_APP_ROLE"] == "portal_app"
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://portal_app:"), name
    assert any("postgres-init-app-role.sh" in v for v in services["postgres"]["volumes"])
    assert "CREATE ROLE portal_app" in (ROOT / "scripts" / "postgres-init-app-role.sh").read_text()


def test_ci_creates_both_roles_and_tests_as_the_owner():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/create_db_roles.py" in ci and 'DATABASE_URL="postgres://portal@' in ci
    script = (ROOT / "scripts" / "create_db_roles.py").read_text()
    assert '"portal", ' in script and '"portal_app", ' in script


def test_the_image_installs_the_versions_ci_tested():
    """The Dockerfile and scripts/bootstrap.sh both install with requirements.lock as constraints, so
    that the image runs the packages the suite ran, not whatever is newest on the day it is built."""
    docker = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in docker.split("RUN pip install", 1)[0]
    install = next(line for line in docker.splitlines() if line.startswith("RUN pip install"))
    assert "-c requirements.lock" in install
    assert "-c requirements.lock" in (ROOT / "scripts" / "bootstrap.sh").read_text()

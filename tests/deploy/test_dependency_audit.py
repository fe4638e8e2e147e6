"""The dependency audit fails on a known vulnerability with a fixed release, and
only then; the lock it audits is what the set-up installs."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def test_only_a_fixable_vulnerability_fails_the_audit():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}]},
            {"name": "lxml", "version": "6.0", "vulns": [{"id": "GHSA-x", "fix_versions": []}]},
            {"name": "celery", "version": "5.5", "vulns": []},
        ]
    }
    fixable, unfixable = audit_deps.findings(report)
    assert fixable == ["django 5.2.0: PYSEC-1 — 修复版本 5.2.1"]
    assert unfixable == ["lxml 6.0: GHSA-x — 尚无修复版本"]
    assert audit_deps.findings({"dependencies": []}) == ([], [])


def test_the_lock_pins_every_package_and_the_setup_installs_with_it():
    pins = [line for line in (ROOT / "requirements.lock").read_text().splitlines() if line and not line.startswith("#")]
    assert pins and all("==" in line for line in pins)
    names = {line.split("==")[0].lower().replace("_", "-") for line in pins}
    assert {"django", "celery", "weasyprint", "openpyxl", "psycopg2-binary", "pypdf", "django-csp"} <= names
    assert "-c requirements.lock" in (ROOT / "scripts" / "bootstrap.sh").read_text()
    assert "scripts/audit_deps.py" in (ROOT / ".ci" / "run").read_text()

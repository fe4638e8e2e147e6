"""Audit the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit, which
asks PyPI's advisory database. Fails (exit 1) on any vulnerability for which a fixed release exists
— the lock should move to it; lists those without a fix, which cannot be acted on yet. A database
that cannot be reached is reported and does not fail the run: it says nothing about the code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def findings(report: dict) -> tuple[list[str], list[str]]:
    """(fixable, unfixable) as printable lines, from pip-audit's JSON report."""
    fixable, unfixable = [], []
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            line = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            if vuln.get("fix_versions"):
                fixable.append(f"{line} — 修复版本 {', '.join(vuln['fix_versions'])}")
            else:
                unfixable.append(f"{line} — 尚无修复版本")
    return fixable, unfixable


def main() -> int:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            str(ROOT / "requirements.lock"),
            "--no-deps",
            "--disable-pip",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"依赖安全审计未能完成（无法查询漏洞库）：{result.stderr.strip()[-500:]}", file=sys.stderr)
        return 0
    fixable, unfixable = findings(report)
    audited = len(report.get("dependencies", []))
    for line in unfixable:
        print(f"  已知漏洞（暂无修复）：{line}")
    if fixable:
        print(f"依赖安全审计：{audited} 个锁定的包中有 {len(fixable)} 个已知漏洞有修复版本，请升级：")
        for line in fixable:
            print(f"  {line}")
        return 1
    print(f"依赖安全审计：{audited} 个锁定的包，没有可修复的已知漏洞。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

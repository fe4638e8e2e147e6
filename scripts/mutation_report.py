"""The mutation score per rule module, from mutmut's results (run `make mutate`).

A mutant counts as killed when a test failed (or timed out) with it in place. Survivors listed in
mutation-equivalents.txt — each with the reason it cannot change behaviour — are left out of the
score and shown apart; any other survivor is a rule that can break with every test still passing.
Goal: at least GOAL % per module. Exit status 1 when a module is below it."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 90.0
KILLED = {"killed", "timeout", "caught by type check"}


def equivalents() -> dict[str, str]:
    path = ROOT / "mutation-equivalents.txt"
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition("#")
            found[name.strip()] = reason.strip()
    return found


def results() -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(re.findall(r"^\s+(\S+): (.+)$", out, flags=re.M))


def module_of(mutant: str) -> str:
    return re.split(r"\.xǁ|\.x_", mutant, maxsplit=1)[0]


def main(patterns: list[str]) -> int:
    """The score of every module, or of the mutants whose names match one of `patterns` (fnmatch)."""
    by_module: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for mutant, status in results().items():
        if not patterns or any(fnmatch.fnmatch(mutant, p) for p in patterns):
            by_module[module_of(mutant)].append((mutant, status))
    known = equivalents()
    if patterns:
        known = {m: r for m, r in known.items() if any(fnmatch.fnmatch(m, p) for p in patterns)}
    below = False
    print(f"{'module':44} {'mutants':>7} {'killed':>7} {'equiv.':>7} {'survived':>8} {'score':>7}")
    for module in sorted(by_module):
        rows = by_module[module]
        killed = sum(status in KILLED for _, status in rows)
        equivalent = [m for m, status in rows if status not in KILLED and m in known]
        survivors = [(m, s) for m, s in rows if s not in KILLED and m not in known]
        counted = len(rows) - len(equivalent)
        score = 100.0 * killed / counted if counted else 100.0
        below |= score < GOAL
        print(
            f"{module:44} {len(rows):7d} {killed:7d} {len(equivalent):7d} {len(survivors):8d} {score:6.1f}%"
            f"{'' if score >= GOAL else '  < ' + str(GOAL) + '%'}"
        )
        for mutant, status in survivors:
            print(f"    {status}: {mutant}   (mutmut show {mutant})")
    stale = sorted(set(known) - {m for rows in by_module.values() for m, _ in rows})
    if stale:
        print("mutation-equivalents.txt names mutants that no longer exist:", ", ".join(stale))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

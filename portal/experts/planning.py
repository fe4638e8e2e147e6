"""Automatic assignment as a pure function, so that its promises can be tested on random inputs:
every application gets k experts where k eligible experts exist, no expert reviews an applicant it
must avoid, and, where nothing is avoided, every expert's load is within one of every other's."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.experts.avoidance import conflicts


@dataclass
class Plan:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (application id, expert id)
    short: dict[int, int] = field(default_factory=dict)  # application id → experts missing


def plan(
    applications: dict[int, str],
    experts: dict[int, frozenset[str]],
    k: int,
    *,
    existing: dict[int, set[int]] | None = None,
    load: dict[int, int] | None = None,
    excluded: set[tuple[int, int]] | None = None,
) -> Plan:
    """applications: id → applicant path; experts: id → paths to avoid; existing: who already reviews
    what; load: current assignments per expert; excluded: (application, expert) pairs declared in conflict."""
    existing = {a: set(e) for a, e in (existing or {}).items()}
    load = {e: (load or {}).get(e, 0) for e in experts}
    excluded = excluded or set()
    eligible = {
        a: [e for e in sorted(experts) if not conflicts(experts[e], path) and (a, e) not in excluded]
        for a, path in applications.items()
    }
    result = Plan()
    # The hardest first: an application few experts may review should not find them all busy.
    for a in sorted(applications, key=lambda a: (len(eligible[a]), a)):
        have = existing.get(a, set())
        need = k - len(have)
        if need <= 0:
            continue
        chosen = sorted((e for e in eligible[a] if e not in have), key=lambda e: (load[e], e))[:need]
        for e in chosen:
            load[e] += 1
            result.pairs.append((a, e))
        if len(chosen) < need:
            result.short[a] = need - len(chosen)
    return result

"""A panel's results: per application the experts' totals, mean, trimmed mean, spread, outliers and
ranks (overall and within its category, ties shared); and the decision-support view against targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from portal.core.boundary import parse_id
from portal.experts import scoring
from portal.experts.models import AssignmentStatus, Panel
from portal.experts.selectors import chosen_categories
from portal.programmes.choices import ApplicantKind


@dataclass
class Row:
    application: object
    category: str
    totals: dict = field(default_factory=dict)  # expert → total
    pending: int = 0
    mean: Decimal | None = None
    trimmed: Decimal | None = None
    spread: Decimal | None = None
    outliers: dict = field(default_factory=dict)  # expert → difference from the others' mean
    rank: int | None = None
    category_rank: int | None = None
    within_target: bool = False


def panel_results(panel: Panel) -> list[Row]:
    rows: dict[int, Row] = {}
    assignments = (
        panel.assignments.exclude(status=AssignmentStatus.CONFLICT)
        .select_related("expert__user", "application__applicant")
        .prefetch_related("application__versions__schema")
        .order_by("pk")
    )
    for a in assignments:
        row = rows.get(a.application_id)
        if row is None:
            chosen = sorted(chosen_categories(a.application), key=lambda c: parse_id(c, default=0))
            row = rows[a.application_id] = Row(application=a.application, category=chosen[0] if chosen else "")
        if a.status == AssignmentStatus.SUBMITTED and a.total is not None:
            row.totals[a.expert] = a.total
        else:
            row.pending += 1
    for row in rows.values():
        values = list(row.totals.values())
        row.mean, row.trimmed, row.spread = scoring.mean(values), scoring.trimmed_mean(values), scoring.spread(values)
        row.outliers = scoring.outliers(row.totals, panel.outlier_margin)
    scored = {pk: r.trimmed for pk, r in rows.items() if r.trimmed is not None}
    for pk, rank in scoring.competition_ranks(scored).items():
        rows[pk].rank = rank
    for category in {r.category for r in rows.values()}:
        inside = {pk: r.trimmed for pk, r in rows.items() if r.category == category and r.trimmed is not None}
        for pk, rank in scoring.competition_ranks(inside).items():
            rows[pk].category_rank = rank
    return sorted(rows.values(), key=lambda r: (r.rank is None, r.rank or 0, r.application.pk))


def against_targets(rows: list[Row], call) -> list[Row]:
    """Marks the rows ranked within the call's target numbers per kind (about 10 zones, 40 schools)."""
    targets = {"zone": call.target_zones, "school": call.target_schools}
    seen = {"zone": 0, "school": 0}
    for row in rows:
        kind = "school" if row.application.applicant_kind == ApplicantKind.SCHOOL else "zone"
        if row.rank is None:
            continue
        seen[kind] += 1
        row.within_target = targets[kind] is None or seen[kind] <= targets[kind]
    return rows


def by_group(rows: list[Row], key) -> list[dict]:
    """Mean score, count, lowest and highest per group (a city, a category), for the charts."""
    groups: dict[str, list[Decimal]] = {}
    for row in rows:
        if row.trimmed is not None:
            groups.setdefault(key(row), []).append(row.trimmed)
    out = [
        {"label": label, "count": len(v), "mean": scoring.mean(v), "low": min(v), "high": max(v)}
        for label, v in groups.items()
    ]
    return sorted(out, key=lambda g: g["mean"], reverse=True)


def city_key(call):
    """row → the applicant's city name, from the tree path (one query for all rows)."""
    from portal.orgs.models import Organisation

    cities = dict(
        Organisation.objects.filter(kind="city", path__under=call.organisation.path).values_list("code", "name")
    )

    def key(row: Row) -> str:
        applicant = row.application.applicant
        return next((cities[c] for c in applicant.ancestor_codes() + [applicant.code] if c in cities), "（省直）")

    return key

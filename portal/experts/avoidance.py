"""回避: an expert never reviews an applicant from the expert's own organisation or city."""

from __future__ import annotations

from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation

# An expert working at one of these is kept off everything below it as well.
SUBTREE_KINDS = frozenset({OrgKind.SCHOOL, OrgKind.COUNTY, OrgKind.CITY})


def cities_under(path: str) -> dict[str, Organisation]:
    """The cities below a tree path, by code: `avoid_paths(..., cities=...)` for many experts at once, one
    query instead of one per expert. An expert's city outside the path holds none of the applicants below
    it, so leaving it out changes no 回避."""
    return {o.code: o for o in Organisation.objects.filter(kind=OrgKind.CITY, path__under=path)}


def avoid_paths(expert, *, cities: dict[str, Organisation] | None = None) -> frozenset[str]:
    """Tree paths whose applicants the expert must not review. `cities` (code → city) saves queries."""
    org = expert.user.organisation
    paths = {f"={org.path}"}  # the organisation itself
    if org.kind in SUBTREE_KINDS:
        paths.add(org.path)
    codes = org.ancestor_codes()
    if cities is None:
        city = Organisation.objects.filter(code__in=codes, kind=OrgKind.CITY).first()
    else:
        city = next((cities[c] for c in codes if c in cities), None)
    if city is not None:
        paths.add(city.path)
    if expert.region_id:
        paths.add(expert.region.path)
    return frozenset(paths)


def conflicts(paths: frozenset[str], applicant_path: str) -> bool:
    return any(applicant_path == p[1:] if p.startswith("=") else applicant_path.startswith(p) for p in paths)

"""The ability points a school may choose: the national list (schools/rubrics/ability-points.json) and
the points its province added."""

from __future__ import annotations

import json
from functools import lru_cache

from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation
from schools.scoring import RUBRICS


@lru_cache(maxsize=1)
def national() -> tuple[tuple[str, str], ...]:
    data = json.loads((RUBRICS / "ability-points.json").read_text(encoding="utf-8"))
    return tuple((p["code"], p["name"]) for p in data["points"])


def province_of(org: Organisation) -> Organisation | None:
    codes = org.ancestor_codes() + [org.code]
    return Organisation.objects.filter(kind=OrgKind.PROVINCE, code__in=codes).first()


def available(org: Organisation) -> dict[str, str]:
    """code → name for a school (or its province): national first, then the province's own."""
    points = dict(national())
    province = province_of(org)
    if province is not None:
        points.update({p.code: p.name for p in province.ability_points.all()})
    return points

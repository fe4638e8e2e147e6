"""Contact details in exports: whole for the roles that pass lists on, masked (138****5678) for the rest."""

from __future__ import annotations

from portal.orgs.choices import Role

# Roles whose work is to send these lists up or to call the people on them.
UNMASKED_ROLES = frozenset({Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER})


def needs_masking(user) -> bool:
    return not (user.role_set & UNMASKED_ROLES)


def mask_phone(value: str) -> str:
    """138****5678: at most the first 3 and the last 4 characters show, never more than half of a
    number, and at least 4 are hidden when the number has them — a 7-digit landline is ****221,
    not shown whole."""
    value = (value or "").strip()
    tail = min(4, len(value) // 2)
    head = min(3, max(0, len(value) - tail - 4))
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_email(value: str) -> str:
    """x***@jyt.gxzf.gov.cn: the first character of the name and the domain (after the last @). Text
    that is not an address is still someone's data: its first character only."""
    value = (value or "").strip()
    if not value:
        return ""
    if "@" not in value:
        return f"{value[:1]}***"
    name, domain = value.rsplit("@", 1)
    return f"{name[:1]}***@{domain}"


class Masker:
    def __init__(self, user):
        self.on = needs_masking(user)

    def phone(self, value) -> str:
        return mask_phone(value) if self.on else (value or "")

    def email(self, value) -> str:
        return mask_email(value) if self.on else (value or "")

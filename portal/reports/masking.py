"""Contact details in exports: whole for the roles that pass lists on, masked (138****5678) for the rest."""
from __future__ import annotations

from portal.orgs.choices import Role

# Roles whose work is to send these lists up or to call the people on them.
UNMASKED_ROLES = frozenset({Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER})


def needs_masking(user) -> bool:
    return not (user.role_set & UNMASKED_ROLES)


def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    value = (value or "").strip()
    if "@" not in value:
        return value
    name, domain = value.split("@", 1)
    return f"{name[:1]}***@{domain}"


class Masker:
    def __init__(self, user):
        self.on = needs_masking(user)

    def phone(self, value) -> str:
        return mask_phone(value) if self.on else (value or "")

    def email(self, value) -> str:
        return mask_email(value) if self.on else (value or "")

"""The city's 推荐汇总表 (附件3) and 联系人信息表 (附件4), built from the list and the frozen forms.
The same rows feed the screen now and the Excel files of the reports issue."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.programmes.choices import QuotaTarget
from portal.review import selectors

# The person fields of the forms: (name, title, mobile, office phone) of the head, and the contact.
HEAD = ("head_name", "head_title", "head_mobile", "head_phone")
CONTACT_PREFIXES = ("contact", "contact1", "contact2")


@dataclass
class Summary:
    organisation: str
    contact: dict
    zones: list[dict] = field(default_factory=list)
    schools: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)


def _latest_values(application) -> dict:
    version = max(application.versions.all(), key=lambda v: v.number, default=None)
    return version.content["values"] if version else {}


def build(lst, contact_user=None) -> Summary:
    entries = list(selectors.entries_of(lst).prefetch_related("application__versions"))
    user = contact_user
    summary = Summary(
        organisation=lst.organisation.name,
        contact={
            "name": getattr(user, "real_name", ""),
            "mobile": getattr(user, "phone", ""),
            "title": getattr(user, "job_title", ""),
            "email": getattr(user, "email", ""),
        },
    )
    for entry in entries:
        application = entry.application
        values = _latest_values(application)
        row = {
            "rank": entry.rank,
            "name": values.get("org_name") or application.applicant.name,
            "head_name": values.get(HEAD[0], ""),
            "head_title": values.get(HEAD[1], ""),
            "head_mobile": values.get(HEAD[2], ""),
            "head_phone": values.get(HEAD[3], ""),
        }
        (summary.schools if entry.target == QuotaTarget.SCHOOL else summary.zones).append(row)
        for prefix in CONTACT_PREFIXES:
            if values.get(f"{prefix}_name"):
                summary.contacts.append(
                    {
                        "name": values[f"{prefix}_name"],
                        "unit": row["name"],
                        "title": values.get(f"{prefix}_title", ""),
                        "mobile": values.get(f"{prefix}_mobile", ""),
                    }
                )
    for i, row in enumerate(summary.contacts, 1):
        row["number"] = i
    return summary

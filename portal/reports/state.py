"""The state a report draws, as a digest. A request reuses an earlier job only when the digest of what
it would render now equals the digest the job was rendered from: a form printed after its opinions
were signed, or a summary asked for after new submissions, is rendered again, never served stale.

Each function reads exactly what its report shows (plain value rows, no model instances) and hashes
it; the digest also covers the address printed links point to, since that is in the file too."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from portal.programmes.models import Application, ApplicationVersion
from portal.review.models import Opinion


class _Digest:
    def __init__(self, *head) -> None:
        self._hash = hashlib.sha256(repr(head).encode())

    def rows(self, label: str, rows: Iterable) -> _Digest:
        self._hash.update(f"\x1e{label}\x1f".encode())
        for row in rows:
            self._hash.update(repr(tuple(row)).encode())
            self._hash.update(b"\n")
        return self

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


OPINION_FIELDS = (
    "application_id",
    "version_id",
    "pk",
    "level",
    "outcome",
    "text",
    "signer_name",
    "signed_on",
    "seal_id",
    "organisation__name",
)


def _opinions(application_ids) -> Iterable:
    return (
        Opinion.objects.filter(application_id__in=application_ids)
        .order_by("application_id", "pk")
        .values_list(*OPINION_FIELDS)
    )


def _versions(application_ids) -> Iterable:
    """Each application's latest frozen version: the one its printed form and its summary rows show."""
    return (
        ApplicationVersion.objects.filter(application_id__in=application_ids)
        .order_by("application_id", "number")
        .values_list("application_id", "number", "sha256", "schema_id")
    )


def application_state(application, *, base_url: str = "", reveal: bool = True) -> str:
    """`reveal`: whether the printed form names the panel's leader (confidentiality.py) — a requester
    whose roles change gets a new file, not one printed for the roles they had."""
    ids = [application.pk]
    return (
        _Digest("application", application.pk, base_url, reveal)
        .rows(
            "application",
            Application.objects.filter(pk=application.pk).values_list("status", "version_count", "applicant__name"),
        )
        .rows("versions", _versions(ids))
        .rows("opinions", _opinions(ids))
        .hexdigest()
    )


def applications_state(applications, *, label: str, base_url: str = "", extra: Iterable = ()) -> str:
    """A set of applications: their rows, latest versions and every opinion on them."""
    ids = applications.order_by().values("pk")
    digest = (
        _Digest(label, base_url)
        .rows(
            "applications",
            applications.order_by("pk").values_list(
                "pk", "status", "stage", "version_count", "title", "applicant__name", "applicant__path"
            ),
        )
        .rows("versions", _versions(ids))
        .rows("opinions", _opinions(ids))
    )
    for name, rows in extra:
        digest.rows(name, rows)
    return digest.hexdigest()


def _call_rows(call) -> list[tuple]:
    """What a call contributes to its tables' heads: its chain, categories and forms."""
    return (
        [(call.title, tuple(call.review_chain))]
        + list(call.categories.order_by("number").values_list("number", "name"))
        + list(call.forms.order_by("applicant_kind").values_list("applicant_kind", "form_key"))
    )


def _panel_rows(panels) -> list[Iterable]:
    from portal.experts.models import Assignment, Criterion

    return [
        (
            "panels",
            panels.order_by("pk").values_list(
                "pk", "name", "status", "outlier_margin", "experts_per_application", "category", "applicant_kind"
            ),
        ),
        (
            "assignments",
            Assignment.objects.filter(panel__in=panels)
            .order_by("pk")
            .values_list("pk", "application_id", "expert__user__real_name", "status", "total", "scores", "comment"),
        ),
        (
            "criteria",
            Criterion.objects.filter(rubric__call__in=panels.values("call"))
            .order_by("pk")
            .values_list("pk", "number", "title", "max_points", "weight"),
        ),
    ]


def call_state(call, applications, *, base_url: str = "", with_scores: bool = True) -> str:
    extra = [("call", _call_rows(call))]
    if with_scores:
        extra += _panel_rows(call.panels.all())
    return applications_state(applications, label=f"call-{call.pk}", base_url=base_url, extra=extra)


def list_state(lst, *, contact=None, base_url: str = "") -> str:
    """A recommendation list: its own state, its entries and ranks, the contact printed on 附件3 (who
    sent it, or the requester before it is sent), and the applications on it (their frozen forms give
    the heads and contacts of 附件3 and 附件4)."""
    from portal.review.models import RecommendationList

    head = list(RecommendationList.objects.filter(pk=lst.pk).values_list("status", "sent_by_id", "organisation__name"))
    if contact is not None:
        head.append((contact.pk, contact.real_name, contact.phone, contact.job_title, contact.email))
    entries = lst.entries.order_by("target", "rank", "pk").values_list("application_id", "target", "rank")
    applications = Application.objects.filter(list_entries__list=lst)
    return applications_state(
        applications, label=f"list-{lst.pk}", base_url=base_url, extra=[("list", head), ("entries", entries)]
    )


def panel_state(panel) -> str:
    from portal.experts.models import Panel

    applications = Application.objects.filter(expert_assignments__panel=panel).distinct()
    return applications_state(
        applications,
        label=f"panel-{panel.pk}",
        extra=[("call", _call_rows(panel.call))] + _panel_rows(Panel.objects.filter(pk=panel.pk)),
    )

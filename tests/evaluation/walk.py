"""Objects for the permission walk and the list-contents walk over the evaluation pages: a Guangxi
mid-term round over the project walk's projects (a1's self-evaluation awaiting the county, each entry
with a filed rectification, the walk's expert leading the panel and scoring a1), and a Shanxi round
that is outside every Guangxi role (published, for the public page)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from evaluation.models import (
    Decision,
    EntryStatus,
    EvaluationRound,
    EvaluationScore,
    Rectification,
    RectificationStatus,
    RoundCriterion,
    RoundEntry,
    RoundStatus,
)
from portal.orgs.choices import Role
from tests.fixtures.projects import make_project

# Which entry each role reaches, and which it must not (404). The walk's expert leads the Guangxi panel,
# so it reaches all of that round (an expert off the panel reaching nothing is tested in test_pages).
INSIDE = {
    Role.SCHOOL_APPLICANT: "a1",
    Role.BUREAU_APPLICANT: "zone",
    Role.COUNTY_REVIEWER: "a1",
    Role.CITY_REVIEWER: "zone",
    Role.PROVINCE_ADMIN: "city",
    Role.EXPERT: "a1",
}
OUTSIDE = {
    Role.SCHOOL_APPLICANT: "b1",
    Role.BUREAU_APPLICANT: "a1",
    Role.COUNTY_REVIEWER: "b1",
    Role.CITY_REVIEWER: "c1",
    Role.PROVINCE_ADMIN: "shanxi",
    Role.EXPERT: "shanxi",
    Role.MINISTRY_REVIEWER: None,
}


def _round(call, leader, title):
    now = timezone.now()
    round_ = EvaluationRound.objects.create(
        call=call,
        organisation=call.organisation,
        kind="midterm",
        title=title,
        selection="chosen",
        self_due_at=now + timedelta(days=10),
        review_due_at=now + timedelta(days=20),
        leader=leader,
    )
    round_.members.set([leader])
    from portal.core import files
    from portal.core.samples import blank_pdf

    round_.standards_stored, _ = files.store(blank_pdf())
    round_.standards_file_name, round_.standards_type = "评估标准.pdf", "application/pdf"
    round_.save()
    RoundCriterion.objects.create(round=round_, number=1, title="实施进展", max_points=100)
    return round_


def _entry(round_, project_pk, **extra):
    entry = RoundEntry.objects.create(round=round_, project_id=project_pk, **extra)
    decision = Decision.objects.create(
        entry=entry,
        number=1,
        outcome="rectify",
        reasons="x",
        rectify_by=timezone.localdate() + timedelta(days=30),
        rectify_items=["x"],
        decided_at=timezone.now(),
    )
    rectification = Rectification.objects.create(
        decision=decision, entry=entry, due_on=decision.rectify_by, status=RectificationStatus.FILED, report="已整改。"
    )
    from evaluation.models import EvaluationFile
    from portal.core import files
    from portal.core.samples import blank_pdf

    stored, digest = files.store(blank_pdf())
    attached = EvaluationFile.objects.create(
        entry=entry, original_name="成果.pdf", stored_name=stored, content_type="application/pdf", size=1, sha256=digest
    )
    return {"pk": entry.pk, "rectification_pk": rectification.pk, "round_pk": round_.pk, "file_pk": attached.pk}


def evaluation_set(t) -> dict:
    if hasattr(t, "evaluation_objects"):
        return t.evaluation_objects
    from tests.projects.walk import project_set
    from tests.test_url_permissions import _expert_objects, _programme_objects

    guangxi, shanxi = _programme_objects(t)["calls"]
    projects = project_set(t, guangxi)
    experts = _expert_objects(t)
    mine, stranger = experts["mine"].expert, experts["theirs"].expert
    gx = _round(guangxi.__class__.objects.get(pk=projects["call_pk"]), mine, "2026年中期评估")
    out = {key: _entry(gx, projects[key]["pk"]) for key in ("zone", "city", "b1", "c1")}
    out["a1"] = _entry(gx, projects["a1"]["pk"], status=EntryStatus.OPINIONS, stage="county")
    EvaluationScore.objects.create(entry_id=out["a1"]["pk"], expert=mine)
    EvaluationScore.objects.create(entry_id=out["b1"]["pk"], expert=stranger)
    sx = _round(shanxi, experts["shanxi_panel"].leader, "山西中期评估")
    sx_project = make_project(shanxi, t.other_county, title="山西项目", kind="zone_county")
    out["shanxi"] = _entry(sx, sx_project.pk)
    EvaluationRound.objects.filter(pk=sx.pk).update(status=RoundStatus.PUBLISHED, published_at=timezone.now())
    RoundEntry.objects.filter(pk=out["shanxi"]["pk"]).update(status=EntryStatus.DECIDED, outcome="rectify")
    t.evaluation_objects = out
    return out


def entry_pair(*keys):
    def objects(t, role):
        o = evaluation_set(t)
        pick = lambda e: {k: e[k] for k in (keys or ("pk",))}  # noqa: E731
        inside = o[INSIDE.get(role, "a1")]
        outside = OUTSIDE.get(role, "shanxi")
        return pick(inside), pick(o[outside]) if outside else None

    return objects


def round_pair(t, role):
    o = evaluation_set(t)
    outside = None if role == Role.MINISTRY_REVIEWER else {"pk": o["shanxi"]["round_pk"]}
    return {"pk": o["a1"]["round_pk"]}, outside


def public_round(t, role):
    return {"pk": evaluation_set(t)["shanxi"]["round_pk"]}, None

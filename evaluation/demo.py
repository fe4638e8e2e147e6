"""The evaluation demo, from `fixtures/projects/demo-evaluation.json`, walked through the services as
the people would: the ministry's mid-term round over the three national zones ends 通过（优秀）for
Dongguan, 限期整改 for 兴宁区 and 撤销 for 小店区, published; Dongguan then applies for acceptance,
passes with 优秀 and has two cases in the showcase; 兴宁区 asks for a year's extension (awaiting its
city); the Guangdong pilot school reports monthly and has missed a month. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from evaluation import extensions, monthly, outcomes, panel, rounds, selfeval, showcase
from evaluation.models import EvaluationRound, RoundEntry
from portal.core import fixtures
from portal.experts.models import Expert
from portal.orgs.models import User
from portal.programmes.models import Project

SPEC = "projects/demo-evaluation.json"


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _project(code: str) -> Project:
    return Project.objects.filter(organisation__code=code).order_by("pk").first()


def _open(spec: dict, projects: list[Project] | None, actor: User) -> EvaluationRound:
    now = timezone.now()
    experts = list(Expert.objects.filter(user__username__in=spec["experts"]).order_by("pk"))
    leader = next(e for e in experts if e.user.username == spec["leader"])
    return rounds.open_round(
        actor=actor,
        call=(projects[0].call if projects else _project(spec["call_project"]).call),
        kind=spec["kind"],
        title=spec["title"],
        selection="chosen" if projects else "applied",
        self_due_at=now + timedelta(days=spec["self_due_days"]),
        review_due_at=now + timedelta(days=spec["review_due_days"]),
        criteria=[{**c, "guidance": c.get("guidance", "")} for c in spec["criteria"]],
        leader=leader,
        members=experts,
        chosen=[p.pk for p in projects or []],
        standards=spec["standards"],
        notice_days=spec["notice_days"],
        experts_per_project=spec["experts_per_project"],
    )


def _evaluate(entry: RoundEntry, spec: dict, texts: dict) -> RoundEntry:
    """The project files its report, every level signs, the experts score, the leader signs."""
    filer = _user(spec["filed_by"])
    entry = selfeval.save_draft(
        actor=filer, entry=entry, raw={**texts, **spec["self_scores"]}, expected_version=entry.lock_version
    )
    selfeval.submit(actor=filer, entry=entry)
    for name in spec["opinions"]:
        selfeval.give_opinion(
            actor=_user(name),
            entry=RoundEntry.objects.get(pk=entry.pk),
            agree=True,
            text=spec.get("opinion", "情况属实，同意报送。"),
        )
    return RoundEntry.objects.get(pk=entry.pk)


def _score_and_sign(round_: EvaluationRound, points: dict) -> None:
    from evaluation.models import EvaluationScore, ScoreStatus

    panel.assign(actor=round_.created_by, round_=round_)
    for sheet in EvaluationScore.objects.filter(entry__round=round_, status=ScoreStatus.ASSIGNED).select_related(
        "expert__user", "entry__project__organisation"
    ):
        code = sheet.entry.project.organisation.code
        panel.save_sheet(
            actor=sheet.expert.user,
            sheet=sheet,
            points=points[code]["points"],
            comments={},
            comment=points[code]["comment"],
            submit=True,
        )
    for entry in round_.entries.select_related("project__organisation"):
        panel.sign_opinion(actor=round_.leader.user, entry=entry, text=points[entry.project.organisation.code]["panel"])


def load_demo_evaluation() -> EvaluationRound | None:
    spec = fixtures.read_json(SPEC)
    midterm = spec["midterm"]
    if EvaluationRound.objects.filter(title=midterm["title"]).exists():
        return None
    with transaction.atomic():
        actor = _user(midterm["organiser"])
        zones = {p["organisation"]: p for p in midterm["projects"]}
        round_ = _open(midterm, [_project(code) for code in zones], actor)
        for entry in round_.entries.select_related("project__organisation"):
            _evaluate(entry, zones[entry.project.organisation.code], spec["texts"])
        _score_and_sign(round_, zones)
        for entry in round_.entries.select_related("project__organisation"):
            decision = zones[entry.project.organisation.code]["decision"]
            due = decision.pop("rectify_in_days", None)
            outcomes.decide(
                actor=actor,
                entry=entry,
                rectify_by=timezone.localdate() + timedelta(days=due) if due else None,
                **decision,
            )
        outcomes.publish(actor=actor, round_=round_)

        acceptance = spec["acceptance"]
        accepting = _open(acceptance, None, _user(acceptance["organiser"]))
        applicant = acceptance["project"]
        entry = outcomes.apply_for_acceptance(
            actor=_user(applicant["filed_by"]), round_=accepting, project=_project(applicant["organisation"])
        )
        _evaluate(entry, applicant, spec["texts"])
        _score_and_sign(accepting, {applicant["organisation"]: applicant})
        outcomes.decide(actor=accepting.created_by, entry=RoundEntry.objects.get(pk=entry.pk), **applicant["decision"])
        outcomes.publish(actor=accepting.created_by, round_=accepting)
        for case in spec["showcase"]:
            item = showcase.submit(actor=_user(applicant["filed_by"]), project=entry.project, data=case)
            showcase.select(actor=accepting.created_by, item=item, selected=True)

        ask = spec["extension"]
        zone = _project(ask["organisation"])
        extensions.request(
            actor=_user(ask["filed_by"]),
            project=zone,
            years=ask["years"],
            reasons=ask["reasons"],
            schedule=_shifted(ask, zone),
        )

        pilot = spec["monthly"]
        school = _project(pilot["organisation"])
        months = monthly.due_months(school)
        for month in months[:-1] if len(months) > 1 else []:  # the latest month is missing
            monthly.file_month(
                actor=_user(pilot["filed_by"]), project=school, month=month.isoformat(), data=pilot["figures"]
            )
    return round_


def _shifted(ask: dict, project: Project) -> list[dict]:
    """The revised schedule: the stages asked for, splitting the added time from the planned end."""
    start, end = project.ends + timedelta(days=1), extensions.plus_years(project.ends, ask["years"])
    step = (end - start) / len(ask["schedule"])
    return [
        {
            "name": s["name"],
            "work": s["work"],
            "starts_on": (start + step * i).isoformat(),
            "ends_on": (
                end if i == len(ask["schedule"]) - 1 else start + step * (i + 1) - timedelta(days=1)
            ).isoformat(),
        }
        for i, s in enumerate(ask["schedule"])
    ]

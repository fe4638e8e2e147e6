"""Reads of the 校本研修与考核方案: each 科组's and teacher's sheet scored, the school's two rankings,
and the summaries the county and the city read across their schools."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from portal.projects.selectors import visible_projects
from schools.models import ItemScore, Sheet, TrainingPlan
from schools.scoring import Entry, Result, load, rank, score_sheet


@dataclass
class Line:
    item: object  # scoring.Item
    row: ItemScore | None
    self_result: Result
    result: Result


@dataclass
class Scored:
    subject: object  # SubjectGroup or Teacher
    lines: list[Line]
    self_total: Decimal
    total: Decimal
    scored_items: int
    rank: int = 0

    @property
    def complete(self) -> bool:
        return self.scored_items == len(self.lines)


def _entry(row: ItemScore | None, field: str) -> Entry:
    if row is None:
        return Entry(None)
    return Entry(getattr(row, field), missing=row.missing, extras=row.extras, awards=tuple(row.awards))


def _scored(sheet, subject, rows: dict[int, ItemScore], rule: str) -> Scored:
    own, own_total = score_sheet(sheet, {n: _entry(r, "self_score") for n, r in rows.items()}, rule)
    given, total = score_sheet(sheet, {n: _entry(r, "score") for n, r in rows.items()}, rule)
    lines = [Line(item, rows.get(item.number), own[item.number], given[item.number]) for item in sheet.items]
    return Scored(subject, lines, own_total, total, sum(1 for r in rows.values() if r.score is not None))


def results(plan: TrainingPlan) -> dict[str, list[Scored]]:
    """Both sheets for every 科组 and teacher, ranked by 得分 (ties share a rank): three queries."""
    rows: dict[tuple[str, int], dict[int, ItemScore]] = defaultdict(dict)
    for row in plan.scores.all():
        rows[(row.sheet, row.group_id or row.teacher_id)][row.item] = row
    out = {}
    for key, subjects in ((Sheet.GROUP, list(plan.groups.all())), (Sheet.TEACHER, list(plan.teachers.all()))):
        sheet = load(key)
        scored = [_scored(sheet, s, rows.get((key, s.pk), {}), plan.cap_rule) for s in subjects]
        ranks = rank({i: s.total for i, s in enumerate(scored)})
        for i, s in enumerate(scored):
            s.rank = ranks[i]
        out[key] = sorted(scored, key=lambda s: (s.rank, s.subject.pk))
    return out


def plan_for_page(project) -> TrainingPlan:
    """The project's plan with what its page and results read, in one query each."""
    from schools.services import plan_of

    plan = plan_of(project)
    return (
        TrainingPlan.objects.prefetch_related("groups", "teachers__group", "scores", "sessions")
        .select_related("project", "updated_by")
        .get(pk=plan.pk)
    )


def scored_subject(plan: TrainingPlan, subject) -> Scored:
    key = Sheet.GROUP if subject.__class__.__name__ == "SubjectGroup" else Sheet.TEACHER
    field = "group" if key == Sheet.GROUP else "teacher"
    rows = {r.item: r for r in ItemScore.objects.filter(sheet=key, **{field: subject})}
    return _scored(load(key), subject, rows, plan.cap_rule)


def plans_in_scope(user) -> QuerySet[TrainingPlan]:
    return (
        TrainingPlan.objects.filter(project__in=visible_projects(user))
        .select_related("project", "project__organisation", "project__organisation__parent")
        .order_by("project__organisation__path")
    )


def summaries(user) -> list[dict]:
    """Per school in the user's scope: how many 科组 and teachers, how many fully scored, the averages
    and the best 科组 — what a county or city compares across its schools."""
    out = []
    for plan in plans_in_scope(user).prefetch_related("groups", "teachers__group", "scores"):
        scored = results(plan)
        groups, teachers = scored[Sheet.GROUP], scored[Sheet.TEACHER]

        def average(items):
            done = [s.total for s in items if s.complete]
            # 四舍五入, as the school's own sheets are summed up (98.25 → 98.3), not the banker's rounding.
            return (
                (sum(done, Decimal(0)) / len(done)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if done else None
            )

        out.append(
            {
                "plan": plan,
                "school": plan.project.organisation,
                "groups": len(groups),
                "teachers": len(teachers),
                "groups_done": sum(s.complete for s in groups),
                "teachers_done": sum(s.complete for s in teachers),
                "group_average": average(groups),
                "teacher_average": average(teachers),
                "best_group": groups[0] if groups and groups[0].complete else None,
            }
        )
    return out


# ---- 发展规划 and 专家指导意见建议表 ----


def visible_guidance(user) -> QuerySet:
    """An expert's guidance (as leader or member); an overseer's, for the schools in its scope."""
    from django.db.models import Q

    from schools.models import Guidance

    qs = with_people(Guidance.objects.select_related("plan__project__organisation", "version__schema", "answer"))
    if not (getattr(user, "is_authenticated", False) and user.has_perm("schools.view_guidance")):
        return qs.none()
    expert = getattr(user, "expert", None)
    reach = Q(pk__in=[])
    if expert is not None:
        reach |= Q(leader=expert) | Q(members=expert)
    if user.has_perm("projects.view_project"):
        reach |= Q(plan__project__in=visible_projects(user))
    return qs.filter(reach).distinct()


def get_visible_guidance(user, *, pk: int):
    from django.http import Http404

    from schools.models import Guidance

    try:
        return visible_guidance(user).get(pk=pk)
    except (Guidance.DoesNotExist, ValueError):
        raise Http404("指导意见不存在或不在您的范围内。")


def with_people(guidance: QuerySet) -> QuerySet:
    """Guidance with its leader and members and their users, in two queries however many are listed
    (what `guidance_people` reads)."""
    from django.db.models import Prefetch

    from portal.experts.models import Expert

    return guidance.select_related("leader__user").prefetch_related(
        Prefetch("members", queryset=Expert.objects.select_related("user"))
    )


def guidance_people(guidance, *, whole: bool, masker) -> dict:
    """The table's people as printed: 组长 and 专家团队 with 姓名 · 性别 · 电话 (masked unless `whole`)."""

    def person(expert):
        phone = expert.user.phone or expert.user.office_phone
        return {
            "pk": expert.pk,
            "name": str(expert),
            "gender": expert.gender,
            "phone": phone if whole else masker.phone(phone),
        }

    members = sorted(guidance.members.all(), key=lambda e: e.pk)
    return {"leader": person(guidance.leader), "members": [person(m) for m in members if m.pk != guidance.leader_id]}


def mode_of(version) -> str:
    """The plan version's 学校信息化应用模式 as printed (智慧教育 / 多技术融合)."""
    choices = dict(version.definition["fields"]["mode"]["choices"])
    return choices.get(version.content["values"].get("mode") or "", "")

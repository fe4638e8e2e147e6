"""Dashboard panels of the evaluation cycle: what each role must do in open rounds — a project's
self-evaluation and rectification, a level's opinion and extension recommendation, an expert's sheets
and the leader's signatures, the organiser's rounds with their progress."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse

from evaluation import scope
from evaluation.models import (
    EntryStatus,
    EvaluationScore,
    Extension,
    ExtensionStatus,
    Rectification,
    RectificationStatus,
    RoundStatus,
    ScoreStatus,
)
from portal.core.dashboard import Panel, PanelItem, register
from portal.orgs.choices import Role

ROWS = 8


@register(Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT)
def project_panel(user):
    entries = scope.visible_entries(user).filter(project__organisation=user.organisation_id)
    due = list(
        entries.filter(status=EntryStatus.DUE, round__status=RoundStatus.OPEN).order_by("round__self_due_at")[:ROWS]
    )
    rectify = list(
        Rectification.objects.filter(entry__in=entries.values("pk"), status=RectificationStatus.DUE)
        .select_related("entry__project")
        .order_by("due_on")[:ROWS]
    )
    if not due and not rectify:
        return None
    items = [
        PanelItem(
            text=f"{e.round.title}：{e.project.title}",
            url=reverse("evaluation:entry", args=[e.pk]),
            note=f"提交自评报告，截止 {e.round.self_due_at:%Y-%m-%d %H:%M}",
        )
        for e in due
    ]
    items += [
        PanelItem(
            text=f"整改：{r.entry.project.title}",
            url=reverse("evaluation:entry", args=[r.entry_id]),
            note=f"期限 {r.due_on:%Y-%m-%d}",
            overdue=bool(r.escalated_on),
        )
        for r in rectify
    ]
    return Panel(
        title="评估待办",
        order=6,
        count=len(items),
        items=items,
        tone="warning",
        link_url=reverse("evaluation:rounds"),
        link_text="评估验收",
    )


@register(Role.COUNTY_REVIEWER, Role.CITY_REVIEWER)
def opinion_panel(user):
    kind = user.organisation.kind
    waiting = list(scope.visible_entries(user).filter(status=EntryStatus.OPINIONS, stage=kind).order_by("pk")[:50])
    mine = [e for e in waiting if e.project.organisation.path.startswith(user.organisation.path)][:ROWS]
    extensions = list(
        Extension.objects.filter(
            status=ExtensionStatus.REQUESTED, project__organisation__parent=user.organisation_id
        ).select_related("project")[:ROWS]
    )
    if not mine and not extensions:
        return None
    items = [
        PanelItem(
            text=f"{e.project.title}",
            url=reverse("evaluation:entry", args=[e.pk]),
            note=f"{e.round.title}：自评报告待签署意见",
        )
        for e in mine
    ]
    items += [
        PanelItem(
            text=x.project.title,
            url=reverse("evaluation:project", args=[x.project_id]),
            note=f"申请延期 {x.years} 年，待推荐",
        )
        for x in extensions
    ]
    return Panel(
        title="评估与延期待办",
        order=16,
        count=len(items),
        items=items,
        link_url=reverse("evaluation:rounds"),
        link_text="评估验收",
    )


@register(Role.EXPERT)
def expert_panel(user):
    expert = getattr(user, "expert", None)
    if expert is None:
        return None
    sheets = list(
        EvaluationScore.objects.filter(expert=expert, status=ScoreStatus.ASSIGNED, entry__status=EntryStatus.FILED)
        .select_related("entry__round", "entry__project")
        .order_by("entry__round__review_due_at")[:ROWS]
    )
    unsigned = (
        scope.visible_entries(user)
        .filter(round__leader=expert, status=EntryStatus.FILED)
        .filter(Exists(EvaluationScore.objects.filter(entry=OuterRef("pk"))))
        .exclude(Exists(EvaluationScore.objects.filter(entry=OuterRef("pk"), status=ScoreStatus.ASSIGNED)))
    )
    to_sign = list(unsigned.order_by("pk")[:ROWS])
    if not sheets and not to_sign:
        return None
    items = [
        PanelItem(
            text=s.entry.project.title,
            url=reverse("evaluation:score", args=[s.entry_id]),
            note=f"{s.entry.round.title}：评分，截止 {s.entry.round.review_due_at:%Y-%m-%d}",
        )
        for s in sheets
    ]
    items += [
        PanelItem(
            text=e.project.title, url=reverse("evaluation:entry", args=[e.pk]), note="评分已齐，待组长签署专家组意见"
        )
        for e in to_sign
    ]
    return Panel(
        title="评估任务",
        order=7,
        count=len(items),
        items=items,
        link_url=reverse("evaluation:tasks"),
        link_text="全部评估任务",
    )


@register(Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER)
def organiser_panel(user):
    rounds = list(
        scope.with_progress(scope.visible_rounds(user).filter(status=RoundStatus.OPEN)).order_by("self_due_at")[:ROWS]
    )
    rounds = [r for r in rounds if scope.manages(user, r)]
    reviews = Rectification.objects.filter(
        status=RectificationStatus.FILED, entry__in=scope.visible_entries(user).values("pk")
    ).count()
    decisions = Extension.objects.filter(
        status=ExtensionStatus.RECOMMENDED, project__in=scope.visible_projects(user).values("pk")
    ).count()
    if not rounds and not reviews and not decisions:
        return None
    items = [
        PanelItem(
            text=r.title,
            url=reverse("evaluation:round", args=[r.pk]),
            note=f"参评 {r.n_entries} · 已报送 {r.n_filed} · 待作结论 {r.n_scored - r.n_decided} · 已作结论 {r.n_decided}",
        )
        for r in rounds
    ]
    if reviews:
        items.append(PanelItem(text=f"{reviews} 份整改报告待复核", url=reverse("evaluation:rounds")))
    if decisions:
        items.append(PanelItem(text=f"{decisions} 份延期申请待决定", url=reverse("projects:list")))
    return Panel(
        title="评估验收",
        order=17,
        count=len(items),
        items=items,
        link_url=reverse("evaluation:rounds"),
        link_text="全部评估批次",
    )


@register(Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER)
def monthly_panel(user):
    """Last month's pilot reports in scope: how many are in, and who is missing (the grid is one click away)."""
    from django.utils import timezone

    from evaluation import monthly

    today = timezone.localdate()
    last = monthly.previous_month(today)
    projects = monthly.reporting_projects(scope.visible_projects(user)).filter(status__in=monthly.LIVE)
    rows = monthly.grid(projects.order_by("organisation__path")[:200], [last], today)
    due = [r for r in rows if r["cells"][0] != "none"]
    if not due:
        return None
    missing = [r for r in due if r["cells"][0] in ("missing", "waiting")]
    items = [
        PanelItem(
            text=f"{r['project'].organisation.name}：{r['project'].title}",
            url=reverse("evaluation:monthly_project", args=[r["project"].pk]),
            note="逾期未报" if r["cells"][0] == "missing" else f"{monthly.DUE_DAY}日前报送",
            overdue=r["cells"][0] == "missing",
        )
        for r in missing[:ROWS]
    ]
    return Panel(
        title=f"{last:%Y年%m月}试点月报：已报 {len(due) - len(missing)}/{len(due)}",
        order=18,
        count=len(missing),
        items=items,
        tone="warning" if missing else "primary",
        empty_text="本月试点月报均已报送。",
        link_url=reverse("evaluation:monthly"),
        link_text="报送情况",
    )

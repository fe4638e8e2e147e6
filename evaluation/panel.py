"""Expert evaluation of a round: self-evaluations given to k panel members each with the applications'
回避 (experts.planning), blind score sheets on the round's rubric, results with trimmed means, spread,
outliers and ranks (experts.scoring), and the leader's signed panel opinion per project."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from evaluation.models import (
    ENTRY_TRANSITIONS,
    SCORE_TRANSITIONS,
    EntryStatus,
    EvaluationScore,
    RoundEntry,
    ScoreStatus,
)
from evaluation.rounds import avoidance_of
from evaluation.scope import manages
from portal.audit.services import log_action
from portal.core.exceptions import Conflict, ServiceError
from portal.core.workflow import move
from portal.experts import scoring
from portal.experts.planning import plan
from portal.notifications.models import Kind
from portal.notifications.services import notify

OPINION_LIMIT = 1000


def assign(*, actor, round_) -> dict:
    """Fills every filed entry up to the round's k experts. Returns {"made": n, "short": {entry: missing}}."""
    if not manages(actor, round_):
        raise PermissionError("evaluation.manage_rounds")
    with transaction.atomic():
        entries = {
            e.pk: e.project.organisation.path
            for e in round_.entries.filter(status=EntryStatus.FILED).select_related("project__organisation")
        }
        if not entries:
            raise ServiceError("没有待专家评审的自评报告。")
        pool = avoidance_of(round_)
        active = EvaluationScore.objects.filter(entry__round=round_).exclude(status=ScoreStatus.CONFLICT)
        existing: dict[int, set[int]] = {}
        for e, x in active.values_list("entry_id", "expert_id"):
            existing.setdefault(e, set()).add(x)
        load = dict(active.values("expert_id").annotate(n=Count("pk")).values_list("expert_id", "n"))
        result = plan(
            entries,
            {pk: paths for pk, (_, paths) in pool.items()},
            round_.experts_per_project,
            existing=existing,
            load=load,
        )
        made = EvaluationScore.objects.bulk_create(EvaluationScore(entry_id=e, expert_id=x) for e, x in result.pairs)
        log_action(
            "evaluation.assign",
            actor=actor,
            obj=round_,
            data={"pairs": [[e, x] for e, x in result.pairs], "short": result.short},
        )
    by_expert: dict[int, int] = {}
    for _, x in result.pairs:
        by_expert[x] = by_expert.get(x, 0) + 1
    for expert_id, count in by_expert.items():
        notify(
            [pool[expert_id][0].user],
            kind=Kind.TO_REVIEW,
            title=f"{round_.title}：新分配 {count} 份评估任务",
            url=reverse("evaluation:tasks"),
        )
    return {"made": len(made), "short": result.short}


def assign_one(*, actor, entry: RoundEntry, expert) -> EvaluationScore:
    """By hand: one more member on one entry, with the same 回避."""
    from portal.experts.avoidance import conflicts

    if not manages(actor, entry.round):
        raise PermissionError("evaluation.manage_rounds")
    pool = avoidance_of(entry.round)
    if expert is None or expert.pk not in pool:
        raise ServiceError("该专家不是本专家组的在库成员。", errors={"expert": ["请选择本专家组的成员。"]})
    move(ENTRY_TRANSITIONS, "assign", entry.status)
    if conflicts(pool[expert.pk][1], entry.project.organisation.path):
        raise ServiceError(
            f"{expert}与{entry.project.organisation.name}属同一单位或同一地市，须回避。",
            errors={"expert": ["须回避。"]},
        )
    if EvaluationScore.objects.filter(entry=entry, expert=expert).exists():
        raise ServiceError(f"{expert}已分配过该项目（或已申请回避）。", errors={"expert": ["已分配过。"]})
    with transaction.atomic():
        sheet = EvaluationScore.objects.create(entry=entry, expert=expert)
        log_action(
            "evaluation.assign", actor=actor, obj=entry.round, data={"pairs": [[entry.pk, expert.pk]], "how": "manual"}
        )
    notify(
        [expert.user],
        kind=Kind.TO_REVIEW,
        title=f"{entry.round.title}：新分配 1 份评估任务",
        url=reverse("evaluation:tasks"),
    )
    return sheet


def declare_conflict(*, actor, sheet: EvaluationScore, reason: str) -> EvaluationScore:
    """The expert steps aside; the entry goes at once to another eligible member (if any)."""
    if sheet.expert.user_id != actor.pk:
        raise PermissionError("evaluation.score")
    reason = str(reason or "").strip().replace("\x00", "")[:300]
    if not reason:
        raise ServiceError("请说明回避理由。", errors={"reason": ["请说明回避理由（如：曾参与该项目方案编写）。"]})
    with transaction.atomic():
        current = (
            EvaluationScore.objects.select_for_update(of=("self",))
            .select_related("entry__round", "entry__project__organisation")
            .get(pk=sheet.pk)
        )
        move(ENTRY_TRANSITIONS, "step_aside", current.entry.status)
        current.status, current.conflict_reason = move(SCORE_TRANSITIONS, "step_aside", current.status), reason
        current.save(update_fields=["status", "conflict_reason"])
        log_action(
            "evaluation.conflict",
            actor=actor,
            obj=current.entry.project,
            data={"entry": current.entry_id, "expert": current.expert_id, "reason": reason},
        )
        round_ = current.entry.round
        pool = avoidance_of(round_)
        taken = set(EvaluationScore.objects.filter(entry=current.entry).values_list("expert_id", flat=True))
        active = EvaluationScore.objects.filter(entry__round=round_).exclude(status=ScoreStatus.CONFLICT)
        load = dict(active.values("expert_id").annotate(n=Count("pk")).values_list("expert_id", "n"))
        result = plan(
            {current.entry_id: current.entry.project.organisation.path},
            {pk: paths for pk, (_, paths) in pool.items() if pk not in taken},
            1,
            load=load,
        )
        for entry_id, expert_id in result.pairs:
            EvaluationScore.objects.create(entry_id=entry_id, expert_id=expert_id)
            log_action(
                "evaluation.assign", actor=actor, obj=round_, data={"pairs": [[entry_id, expert_id]], "how": "reassign"}
            )
    if round_.created_by:
        notify(
            [round_.created_by],
            kind=Kind.TO_REVIEW,
            title=f"{round_.title}：{current.expert}申请回避",
            body=reason + ("" if result.pairs else "（无可替换的专家，请手工分配）"),
            url=reverse("evaluation:entry", args=[current.entry_id]),
        )
    return current


def save_sheet(
    *, actor, sheet: EvaluationScore, points: dict, comments: dict, comment: str, submit: bool = False
) -> EvaluationScore:
    if sheet.expert.user_id != actor.pk:
        raise PermissionError("evaluation.score")
    with transaction.atomic():
        current = (
            EvaluationScore.objects.select_for_update(of=("self",)).select_related("entry__round").get(pk=sheet.pk)
        )
        move(ENTRY_TRANSITIONS, "score", current.entry.status)
        if timezone.now() > current.entry.round.review_due_at and current.status != ScoreStatus.SUBMITTED:
            raise ServiceError("专家评审截止时间已过。")
        criteria = list(current.entry.round.criteria.all())
        values, errors, total = scoring.read_sheet(criteria, points, comments, comment, submit=submit)
        if errors and submit:
            raise ServiceError(f"评分表有 {len(errors)} 处需要修改。", errors=errors)
        before_total, before_status = current.total, current.status
        current.points, current.comment, current.total = values, str(comment or "").strip(), total
        if submit:
            current.status = ScoreStatus.SUBMITTED
            current.submitted_at = current.submitted_at or timezone.now()
        current.save()
        if submit or before_status == ScoreStatus.SUBMITTED:
            log_action(
                "evaluation.score.submit" if before_status != ScoreStatus.SUBMITTED else "evaluation.score.change",
                actor=actor,
                obj=current.entry.project,
                changes={"total": [before_total, current.total]} if before_total != current.total else None,
                data={"entry": current.entry_id, "expert": current.expert_id, "total": current.total},
            )
    return current


@dataclass
class Result:
    entry: RoundEntry
    totals: dict = field(default_factory=dict)  # expert → total
    pending: int = 0
    mean: Decimal | None = None
    trimmed: Decimal | None = None
    spread: Decimal | None = None
    outliers: dict = field(default_factory=dict)
    rank: int | None = None


def results(round_) -> list[Result]:
    rows: dict[int, Result] = {e.pk: Result(entry=e) for e in round_.entries.select_related("project__organisation")}
    for s in (
        EvaluationScore.objects.filter(entry__round=round_)
        .exclude(status=ScoreStatus.CONFLICT)
        .select_related("expert__user")
        .order_by("pk")
    ):
        if s.status == ScoreStatus.SUBMITTED and s.total is not None:
            rows[s.entry_id].totals[s.expert] = s.total
        else:
            rows[s.entry_id].pending += 1
    for row in rows.values():
        values = list(row.totals.values())
        row.mean, row.trimmed, row.spread = scoring.mean(values), scoring.trimmed_mean(values), scoring.spread(values)
        row.outliers = scoring.outliers(row.totals, round_.outlier_margin)
    for pk, rank in scoring.competition_ranks(
        {pk: r.trimmed for pk, r in rows.items() if r.trimmed is not None}
    ).items():
        rows[pk].rank = rank
    return sorted(rows.values(), key=lambda r: (r.rank is None, r.rank or 0, r.entry.pk))


def sign_opinion(*, actor, entry: RoundEntry, text: str, expected_version: int | None = None) -> RoundEntry:
    """The leader signs the panel's opinion once every assigned expert has submitted."""
    expert = getattr(actor, "expert", None)
    text = str(text or "").strip().replace("\x00", "")
    if expert is None or entry.round.leader_id != expert.pk:
        raise PermissionError("evaluation.sign")
    if not text:
        raise ServiceError("请填写专家组意见。", errors={"panel_opinion": ["请填写专家组意见。"]})
    if len(text) > OPINION_LIMIT:
        raise ServiceError("意见过长。", errors={"panel_opinion": [f"专家组意见不能超过 {OPINION_LIMIT} 字。"]})
    with transaction.atomic():
        current = RoundEntry.objects.select_for_update(of=("self",)).select_related("round", "project").get(pk=entry.pk)
        if expected_version is not None and current.lock_version != expected_version:
            raise Conflict(
                "该项目已有更新，请刷新后再签署。",
                current_version=current.lock_version,
                updated_by="其他用户",
                updated_at=current.updated_at,
            )
        target = move(ENTRY_TRANSITIONS, "sign", current.status)
        sheets = current.scores.exclude(status=ScoreStatus.CONFLICT)
        if not sheets.exists():
            raise ServiceError("该项目尚未分配评审专家。")
        if sheets.filter(status=ScoreStatus.ASSIGNED).exists():
            raise ServiceError(
                f"尚有 {sheets.filter(status=ScoreStatus.ASSIGNED).count()} 位专家未提交评分，不能签署。"
            )
        current.panel_opinion, current.opinion_signed_at = text, timezone.now()
        current.status = target
        current.lock_version += 1
        current.save(update_fields=["panel_opinion", "opinion_signed_at", "status", "lock_version"])
        log_action(
            "evaluation.panel.sign",
            actor=actor,
            obj=current.project,
            changes={"status": [EntryStatus.FILED, EntryStatus.SCORED]},
            data={"entry": current.pk},
        )
    if current.round.created_by:
        notify(
            [current.round.created_by],
            kind=Kind.TO_REVIEW,
            title=f"{current.project.title}：专家组意见已签署，待作出结论",
            url=reverse("evaluation:entry", args=[current.pk]),
        )
    return current

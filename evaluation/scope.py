"""Which rounds, entries and score sheets a user reaches. The organiser's administrators see all of a
round; a project and the levels above it see the project's entries; an expert sees only the entries
assigned to them (the leader all of the round). Outside the scope: 404."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from evaluation.models import EvaluationRound, EvaluationScore, Outcome, RoundEntry, RoundStatus, ScoreStatus
from portal.orgs.selectors import scope_paths
from portal.projects.selectors import visible_projects


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


def _managed(user, field: str) -> Q:
    """Rounds organised inside the user's scope, for the administrators who run them."""
    query = Q(pk__in=[])
    if user.has_perm("evaluation.manage_rounds"):
        for prefix in scope_paths(user):
            query |= Q(**{f"{field}__path__under": prefix})
    return query


def _expert(user):
    return getattr(user, "expert", None) if user.has_perm("evaluation.score") else None


def _assigned(expert) -> Q:
    return Q(
        Exists(EvaluationScore.objects.filter(entry=OuterRef("pk"), expert=expert).exclude(status=ScoreStatus.CONFLICT))
    )


def visible_entries(user) -> QuerySet[RoundEntry]:
    if not _active(user):
        return RoundEntry.objects.none()
    query = _managed(user, "round__organisation") | Q(project__in=visible_projects(user).values("pk"))
    if (expert := _expert(user)) is not None:
        query |= _assigned(expert) | Q(round__leader=expert)
    return RoundEntry.objects.filter(query).select_related(
        "round", "project", "project__organisation", "project__organisation__parent"
    )


def get_visible_entry(user, *, pk: int) -> RoundEntry:
    try:
        return visible_entries(user).get(pk=pk)
    except (RoundEntry.DoesNotExist, ValueError):
        raise Http404("参评项目不存在或不在您的范围内。")


def visible_rounds(user) -> QuerySet[EvaluationRound]:
    """Rounds the user runs, rounds with an entry the user sees, and the open acceptance rounds of the
    calls the user's projects belong to (a project applies into those)."""
    if not _active(user):
        return EvaluationRound.objects.none()
    query = (
        _managed(user, "organisation")
        | Q(Exists(visible_entries(user).filter(round=OuterRef("pk"))))
        | Q(
            selection="applied",
            status="open",
            call__in=visible_projects(user).filter(organisation=user.organisation_id).values("call"),
        )
    )
    if (expert := _expert(user)) is not None:
        query |= Q(leader=expert) | Q(members=expert)
    return EvaluationRound.objects.filter(query).distinct().select_related("call", "organisation", "leader__user")


def with_progress(qs: QuerySet[EvaluationRound]) -> QuerySet[EvaluationRound]:
    """Each round with its counts of entries, filed, scored (signed or decided) and decided, in one query:
    the round list and the organiser's dashboard read the same figures."""
    from evaluation.models import EntryStatus

    return qs.annotate(
        n_entries=Count("entries", distinct=True),
        n_filed=Count("entries", filter=~Q(entries__status=EntryStatus.DUE), distinct=True),
        n_scored=Count(
            "entries", filter=Q(entries__status__in=[EntryStatus.SCORED, EntryStatus.DECIDED]), distinct=True
        ),
        n_decided=Count("entries", filter=Q(entries__status=EntryStatus.DECIDED), distinct=True),
    )


def get_visible_round(user, *, pk: int) -> EvaluationRound:
    try:
        return visible_rounds(user).get(pk=pk)
    except (EvaluationRound.DoesNotExist, ValueError):
        raise Http404("评估批次不存在或不在您的范围内。")


def manages(user, round_: EvaluationRound) -> bool:
    return user.has_perm("evaluation.manage_rounds") and any(
        round_.organisation.path.startswith(prefix) for prefix in scope_paths(user)
    )


def leads(user, round_: EvaluationRound) -> bool:
    expert = getattr(user, "expert", None)
    return expert is not None and round_.leader_id == expert.pk


def result_visible(user, entry: RoundEntry) -> bool:
    """The result sheet reaches the project once the round is published (or at once for 限期整改)."""
    decision = entry.decisions.first()
    return decision is not None and (
        manages(user, entry.round) or entry.round.status == RoundStatus.PUBLISHED or decision.outcome == Outcome.RECTIFY
    )


def sees_outcome(user, entry: RoundEntry) -> bool:
    """The organiser and the round's leader follow the outcome as it forms; the project and the levels
    above it once the round is published (at once for 限期整改, which it must act on)."""
    return manages(user, entry.round) or leads(user, entry.round) or result_visible(user, entry)


def entry_result(user, entry: RoundEntry):
    """The panel's scores on the entry as the reader may see them: the organiser always; the leader, an
    expert too, once every sheet is in (blind until then, like every expert); nobody else."""
    from evaluation.panel import results

    manager = manages(user, entry.round)
    if not (manager or leads(user, entry.round)):
        return None
    result = next((r for r in results(entry.round) if r.entry.pk == entry.pk), None)
    return result if manager or (result is not None and not result.pending) else None


def get_managed_round(user, *, pk: int) -> EvaluationRound:
    round_ = get_visible_round(user, pk=pk)
    if not manages(user, round_):
        raise Http404("评估批次不存在或不在您的范围内。")
    return round_


def own_sheet(user, *, entry: RoundEntry) -> EvaluationScore:
    """The signed-in expert's sheet for the entry; 404 for anyone else (sheets are never shared)."""
    expert = _expert(user)
    sheet = (
        EvaluationScore.objects.filter(entry=entry, expert=expert).exclude(status=ScoreStatus.CONFLICT).first()
        if expert
        else None
    )
    if sheet is None:
        raise Http404("评分任务不存在。")
    return sheet


def expert_tasks(user) -> QuerySet[EvaluationScore]:
    expert = _expert(user)
    if expert is None:
        return EvaluationScore.objects.none()
    return (
        EvaluationScore.objects.filter(expert=expert)
        .exclude(status=ScoreStatus.CONFLICT)
        .select_related("entry__round", "entry__project__organisation")
        .order_by("status", "entry__round", "pk")
    )

"""Opening an evaluation round: which projects (all, a recorded random sample, chosen ones, or those that
apply for acceptance), its deadlines, rubric, panel and the outcomes its kind may give."""

from __future__ import annotations

import random
import secrets
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evaluation.models import EvaluationRound, RoundCriterion, RoundEntry, RoundKind, Selection
from portal.audit.services import log_action
from portal.core.exceptions import ServiceError
from portal.experts.avoidance import avoid_paths, cities_under
from portal.notifications.models import Kind
from portal.notifications.services import notify
from portal.orgs.selectors import scope_paths
from portal.programmes.choices import ProjectStatus
from portal.programmes.models import Project
from portal.projects.selectors import project_users

LIVE = (ProjectStatus.RUNNING, ProjectStatus.EXTENDED)


def draw_sample(project_ids: list[int], size: int, seed: str) -> list[int]:
    """The same seed over the same projects always draws the same sample: anyone can re-check it."""
    return sorted(random.Random(seed).sample(sorted(project_ids), size))


def live_projects(call, within: str = "/"):
    return Project.objects.filter(call=call, status__in=LIVE, organisation__path__under=within).order_by("pk")


def organiser_for(actor, call):
    """(the organisation that runs a round of the call, the tree path its projects lie under), or None.
    The call's own organiser runs rounds over all its projects; a province runs one over a national
    call's projects in the province, by the ministry's delegation (评估验收可委托省级教育行政部门)."""
    from portal.orgs.models import Organisation

    if not actor.has_perm("evaluation.manage_rounds"):
        return None
    for prefix in scope_paths(actor):
        if call.organisation.path.startswith(prefix):
            return call.organisation, "/"
        if prefix.startswith(call.organisation.path):
            return Organisation.objects.get(path=prefix), prefix
    return None


def _check_call(actor, call):
    found = organiser_for(actor, call)
    if found is None:
        raise PermissionError("evaluation.manage_rounds")
    return found


def pool_for(actor):
    """Experts the organiser may put on a round's panel: active experts of pools inside its scope."""
    from django.db.models import Q

    from portal.experts.models import Expert

    query = Q(pk__in=[])
    for prefix in scope_paths(actor):
        query |= Q(province__path__under=prefix)
    return Expert.objects.filter(query, is_active=True).select_related("user__organisation", "region").order_by("pk")


def open_round(
    *,
    actor,
    call,
    kind: str,
    title: str,
    selection: str,
    self_due_at: datetime,
    review_due_at: datetime,
    criteria: list[dict],
    leader,
    members: list,
    sample_size: int | None = None,
    chosen: list[int] | None = None,
    standards: str = "",
    grades: bool = True,
    notice_days: int = 0,
    experts_per_project: int = 3,
    standards_file: tuple[str, bytes] | None = None,
) -> EvaluationRound:
    organiser, within = _check_call(actor, call)
    errors: dict[str, list[str]] = {}
    if kind not in RoundKind.values:
        errors["kind"] = ["请选择评估类型。"]
    title = str(title or "").strip()
    if not title:
        errors["title"] = ["请填写评估批次名称。"]
    elif len(title) > 200:
        errors["title"] = ["名称不能超过 200 个字。"]
    if selection not in Selection.values:
        errors["selection"] = ["请选择参评项目的产生方式。"]
    elif selection == Selection.APPLIED and kind != RoundKind.ACCEPTANCE:
        errors["selection"] = ["只有验收可以由项目申请参加。"]
    now = timezone.now()
    if self_due_at is None or self_due_at <= now:
        errors["self_due_at"] = ["自评报告截止时间须晚于现在。"]
    if review_due_at is None or (self_due_at and review_due_at <= self_due_at):
        errors["review_due_at"] = ["专家评审截止时间须晚于自评报告截止时间。"]
    if not criteria:
        errors["criteria"] = ["请至少设置一个评分项。"]
    pool = {e.pk: e for e in pool_for(actor)}
    members = list({m.pk: m for m in members}.values())
    if leader is None:
        errors["leader"] = ["请选择专家组组长。"]
    elif leader.pk not in pool:
        errors["leader"] = [f"{leader}不在本级专家库中。"]
    if leader is not None and leader.pk not in {m.pk for m in members}:
        members.append(leader)  # the leader scores as a member too
    outside = [str(m) for m in members if m.pk not in pool]
    if outside:
        errors["members"] = ["、".join(outside) + "不在本级专家库中。"]
    if experts_per_project < 1 or experts_per_project > len(members):
        errors["experts_per_project"] = [f"每个项目评审专家数须在 1 至专家组人数（{len(members)}）之间。"]
    candidates = list(live_projects(call, within).values_list("pk", flat=True))
    seed, picked = "", []
    if selection == Selection.ALL:
        picked = candidates
    elif selection == Selection.SAMPLE:
        if not sample_size or not 1 <= sample_size <= len(candidates):
            errors["sample_size"] = [f"抽取数量须在 1 至 {len(candidates)} 之间（本批次实施中的项目数）。"]
        else:
            seed = secrets.token_hex(8)
            picked = draw_sample(candidates, sample_size, seed)
    elif selection == Selection.CHOSEN:
        picked = sorted(set(chosen or []))
        unknown = [p for p in picked if p not in set(candidates)]
        if not picked:
            errors["chosen"] = ["请选择参评项目。"]
        elif unknown:
            errors["chosen"] = ["所选项目不属于本批次或已结束实施。"]
    checked_file = None
    if standards_file is not None:
        from portal.projects.uploads import checked

        passed, refusals = checked([standards_file])
        if refusals:
            errors["standards_file"] = refusals
        else:
            checked_file = passed[0]
    if selection in (Selection.ALL, Selection.SAMPLE) and not candidates:
        errors["selection"] = ["本批次没有实施中的项目。"]
    if errors:
        raise ServiceError("评估批次有内容需要修改。", errors=errors)
    with transaction.atomic():
        round_ = EvaluationRound.objects.create(
            call=call,
            organisation=organiser,
            kind=kind,
            title=title,
            selection=selection,
            sample_size=sample_size if selection == Selection.SAMPLE else None,
            sample_seed=seed,
            standards=str(standards or "").strip(),
            self_due_at=self_due_at,
            review_due_at=review_due_at,
            grades=bool(grades),
            notice_days=notice_days,
            experts_per_project=experts_per_project,
            leader=leader,
            created_by=actor,
        )
        if checked_file is not None:
            from portal.core import files

            name, blob, content_type = checked_file
            round_.standards_stored, _ = files.store(blob)
            round_.standards_file_name, round_.standards_type = name, content_type
            round_.save(update_fields=["standards_stored", "standards_file_name", "standards_type"])
        round_.members.set(members)
        RoundCriterion.objects.bulk_create(RoundCriterion(round=round_, **c) for c in criteria)
        entries = RoundEntry.objects.bulk_create(RoundEntry(round=round_, project_id=p) for p in picked)
        log_action(
            "evaluation.round.open",
            actor=actor,
            obj=round_,
            data={
                "kind": kind,
                "selection": selection,
                "projects": picked,
                "seed": seed,
                "experts": [m.pk for m in members],
                "leader": leader.pk,
            },
        )
    for entry in RoundEntry.objects.filter(pk__in=[e.pk for e in entries]).select_related("project"):
        notify(
            project_users(entry.project),
            kind=Kind.DEADLINE,
            title=f"{round_.title}：请于 {timezone.localtime(self_due_at):%Y-%m-%d %H:%M} 前提交自评报告",
            url=reverse("evaluation:entry", args=[entry.pk]),
        )
    return round_


def avoidance_of(round_) -> dict:
    """Each panel member with the paths it must not evaluate (the applications' 回避)."""
    members = list(round_.members.filter(is_active=True).select_related("user__organisation", "region"))
    cities = cities_under(round_.organisation.path)
    return {m.pk: (m, avoid_paths(m, cities=cities)) for m in members}

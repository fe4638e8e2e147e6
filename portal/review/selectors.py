"""What a reviewer sees and may act on. Scope comes from the one scoping layer (orgs.selectors via
programmes.selectors); this module only narrows it to the levels the user acts at."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portal.orgs.choices import OrgKind
from portal.orgs.models import Organisation
from portal.orgs.selectors import scope_paths
from portal.programmes import selectors as programme_selectors
from portal.programmes.choices import ReviewLevel, Status
from portal.programmes.models import Application
from portal.review.chain import GATES, LEVELS, acting_kind
from portal.review.models import ListEntry, ListStatus, Objection, ObjectionStatus, Opinion, RecommendationList


def acting_org(user) -> Organisation | None:
    """The organisation a user reviews for: a provincial centre acts for its department."""
    org = getattr(user, "organisation", None)
    if org is None:
        return None
    return org.parent if acting_kind(org) != org.kind and org.parent_id else org


def acting_levels(user) -> list[str]:
    org = getattr(user, "organisation", None)
    if org is None or not getattr(user, "is_authenticated", False):
        return []
    return [level for level, rule in LEVELS.items() if user.has_role(rule.role) and acting_kind(org) == rule.org_kind]


def responsible_org(applicant: Organisation, level: str) -> Organisation:
    """The applicant's ancestor that reviews it at `level` (its county, its city, its province …)."""
    codes = applicant.ancestor_codes() + [applicant.code]
    return Organisation.objects.get(code__in=codes, kind=LEVELS[level].org_kind)


def can_act(user, application: Application) -> bool:
    if application.status != Status.SUBMITTED or not application.stage:
        return False
    gate = GATES.get(application.stage)
    verdict = gate(user, application) if gate else None
    if verdict is not None:
        return verdict
    org = acting_org(user)
    return (
        application.stage in acting_levels(user) and org is not None and application.applicant.path.startswith(org.path)
    )


def offered_outcomes(user) -> set[str]:
    """The outcomes the user may give at the levels it acts at, in the calls it sees (for bulk
    actions): a county is never offered 同意立项. Read from the calls, not the queue's rows, so it
    costs one small query however long the queue is."""
    from portal.programmes.selectors import visible_calls
    from portal.review.chain import outcomes_at

    levels = acting_levels(user)
    out: set[str] = set()
    for call in visible_calls(user).select_related(None).only("pk", "review_chain"):
        for level in levels:
            if level in call.review_chain:
                out.update(outcomes_at(call, "", level))
    return out


def _on_list_at_stage():
    return Exists(
        ListEntry.objects.filter(application=OuterRef("pk"), list__level=OuterRef("stage"), list__call=OuterRef("call"))
    )


def pending_applications(user, *, in_queue_order: bool = False) -> QuerySet[Application]:
    """Submitted applications waiting for the user's level and not yet on its list. `in_queue_order`:
    the same rows for reading a page of them — the queue's own index drives the plan (the path's is
    left out), which stops after the page instead of sorting all that wait in the branch; counting
    them is better served by the path's index, so a count uses the default."""
    levels, org = acting_levels(user), acting_org(user)
    if not levels or org is None:
        return Application.objects.none()
    lookup = "within" if in_queue_order else "under"
    pending = programme_selectors.visible_applications(user, lookup=lookup).filter(
        status=Status.SUBMITTED, stage__in=levels
    )
    if org.path not in scope_paths(user):
        # Only when the scope is wider than the acting organisation's branch: the same prefix twice
        # made PostgreSQL square its selectivity (247 rows expected, 2,173 found at a city) and
        # sort the whole queue for a merge join.
        pending = pending.filter(**{f"applicant_path__{lookup}": org.path})
    return (
        pending.annotate(listed=_on_list_at_stage())
        .filter(listed=False)
        # Not the form's definition (a large JSON document parsed once per row): a queue row
        # shows the call, the applicant and the dates.
        .select_related(None)
        .select_related("call", "applicant", "applicant__parent")
        .prefetch_related("call__deadlines")
        .defer("data")  # the draft's values: a queue never shows them
        .order_by("stage_since", "pk")
    )


def get_reviewable(user, *, pk: int) -> Application:
    """An application in the user's scope (404 otherwise); whether it is the user's turn is the service's check."""
    return programme_selectors.get_visible_application(user, pk=pk)


def opinions_of(application: Application) -> QuerySet[Opinion]:
    return application.opinions.select_related("organisation", "seal", "version", "actor").order_by("created_at", "pk")


def visible_lists(user) -> QuerySet[RecommendationList]:
    paths = scope_paths(user)
    if not paths or not user.has_perm("review.view_lists"):
        return RecommendationList.objects.none()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(organisation__path__under=path)
    org = acting_org(user)
    if org is not None:
        query |= Q(organisation=org)
    return (
        RecommendationList.objects.filter(query)
        .select_related("call", "organisation")
        .annotate(
            entry_count=Count("entries", distinct=True),
            pending_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING), distinct=True),
        )
    )


def panel_lists_to_send(user) -> list[RecommendationList]:
    """The user's own expert-level lists that hold signed panel opinions not yet sent on to the
    deciding level: the province must send them itself, which nothing else on its queue would say."""
    org = acting_org(user)
    if org is None or ReviewLevel.EXPERT not in acting_levels(user):
        return []
    return list(
        visible_lists(user)
        .filter(organisation=org, level=ReviewLevel.EXPERT, status=ListStatus.OPEN, entry_count__gt=0)
        .order_by("pk")
    )


def get_visible_list(user, *, pk: int) -> RecommendationList:
    try:
        return visible_lists(user).get(pk=pk)
    except RecommendationList.DoesNotExist:
        raise Http404("名单不存在或不在您的范围内。")


def own_list(user, lst: RecommendationList) -> bool:
    """Whether the user acts for the list's organisation at its level (may rank, notice, send)."""
    return lst.organisation_id == getattr(acting_org(user), "pk", None) and lst.level in acting_levels(user)


def entries_of(lst: RecommendationList) -> QuerySet[ListEntry]:
    return lst.entries.select_related(
        "application", "application__applicant", "application__applicant__parent", "opinion"
    ).order_by("target", "rank", "pk")


def public_lists() -> QuerySet[RecommendationList]:
    return (
        RecommendationList.objects.filter(
            status__in=[ListStatus.NOTICE, ListStatus.SENT, ListStatus.PUBLISHED], notice_starts__isnull=False
        )
        .select_related("call", "organisation")
        .order_by("-notice_starts", "-pk")
    )


def get_public_list(token) -> RecommendationList:
    try:
        return public_lists().get(token=token)
    except (RecommendationList.DoesNotExist, ValueError):
        raise Http404("公示不存在。")


def objections_of(lst: RecommendationList) -> QuerySet[Objection]:
    return lst.objections.select_related("application", "application__applicant", "handled_by").order_by("created_at")


def get_handleable_objection(user, *, pk: int) -> Objection:
    try:
        objection = Objection.objects.select_related("list", "list__call", "list__organisation").get(
            pk=pk, list__in=visible_lists(user)
        )
    except Objection.DoesNotExist:
        raise Http404("异议不存在或不在您的范围内。")
    return objection


def users_acting_at(organisation: Organisation, level: str):
    """The active users who review for `organisation` at `level` (its centre's staff included)."""
    from portal.orgs.models import User

    rule = LEVELS[level]
    return User.objects.filter(
        Q(organisation=organisation) | Q(organisation__parent=organisation, organisation__kind=OrgKind.CENTRE),
        role_grants__role=rule.role,
        is_active=True,
    ).distinct()


def applicant_users(application: Application):
    from portal.orgs.selectors import applicants_of

    return applicants_of(application.applicant_id)


def timeline(application: Application, viewer=None) -> list[dict]:
    """Who did what to the application, when, with which opinion: read from the audit log.
    Draft saves are left out: they are many and say nothing about the review. The experts' part is
    shown as 专家评审 without names to viewers who may not know the reviewers (confidentiality.py)."""
    from portal.audit.actions import label
    from portal.audit.models import AuditEntry
    from portal.review.confidentiality import EXPERTS, is_experts_work, sees_reviewers

    entries = (
        AuditEntry.objects.filter(object_type="programmes.application", object_id=str(application.pk))
        .exclude(
            action__in=["programmes.application.save", "programmes.attachment.download", "experts.attachment.download"]
        )
        .order_by("created_at", "pk")
    )
    reveal = sees_reviewers(viewer)
    out = []
    for e in entries:
        hidden = not reveal and is_experts_work(e.action, e.data)
        out.append(
            {
                "at": e.created_at,
                "action": label(e.action),
                "code": e.action,
                "who": EXPERTS if hidden else e.actor_name or e.actor_username,
                "org": "" if hidden else e.actor_org_name,
                "level": ReviewLevel(e.data["level"]).label if e.data.get("level") in ReviewLevel.values else "",
                "opinion": e.data.get("opinion", ""),
                "reasons": e.data.get("reasons", ""),
                "box": e.data.get("box", ""),
                "version": e.data.get("version"),
            }
        )
    return out


def boxes(application: Application, version, viewer=None) -> list[dict]:
    """The form's opinion boxes for the shown version, each with the latest signed opinion, in the form's order;
    `signer` is the signature line's name as the viewer may read it (confidentiality.py)."""
    from portal.review.chain import SEALED, box_label, box_signer, stages_of
    from portal.review.confidentiality import signer_for

    definition = version.definition
    levels = [b["level"] for b in definition.get("opinions", []) if b["level"] != "applicant"]
    for level in stages_of(application):
        if level not in levels:
            levels.append(level)
    latest = {}
    for opinion in version.opinions.select_related("seal", "organisation").order_by("created_at", "pk"):
        latest[opinion.level] = opinion
    out = []
    for level in levels:
        opinion = latest.get(level)
        box_def = next((b for b in definition.get("opinions", []) if b["level"] == level), {})
        out.append(
            {
                "level": level,
                "label": box_label(definition, level),
                "signer_label": box_signer(definition, level),
                "opinion": opinion,
                "signer": signer_for(opinion, viewer),
                "sealed": bool(opinion and opinion.outcome in SEALED and opinion.seal and box_def.get("seal", True)),
            }
        )
    return out

"""Which calls and applications a user sees. Built on the one scoping layer (orgs.selectors)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal.orgs.choices import Role
from portal.orgs.selectors import scope_paths
from portal.programmes.choices import ReviewLevel, Step
from portal.programmes.models import Application, Attachment, Call

APPLICANT_ROLES = frozenset({Role.SCHOOL_APPLICANT, Role.BUREAU_APPLICANT})
# Roles that see the submitted applications of their subtree. Drafts stay the applicant's own.
OVERSEER_ROLES = frozenset(
    {Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN, Role.MINISTRY_REVIEWER, Role.SYSTEM_ADMIN}
)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id)


def visible_calls(user) -> QuerySet[Call]:
    """Published calls whose organiser's area contains the user, and every call the user's own
    scope contains (its organisers see drafts too)."""
    if not _active(user) or not user.role_set:
        return Call.objects.none()
    org_path = user.organisation.path
    ancestors = list(_prefixes(org_path))
    query = Q(is_published=True, organisation__path__in=ancestors)
    for path in scope_paths(user):
        if user.role_set & (OVERSEER_ROLES | {Role.AUDIT_ADMIN}):
            query |= Q(organisation__path__under=path)
    return Call.objects.filter(query).select_related("programme", "organisation")


def _prefixes(path: str) -> list[str]:
    """/MOE/450000/450100/ → [/MOE/, /MOE/450000/, /MOE/450000/450100/]."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def manageable_calls(user) -> QuerySet[Call]:
    if not user.has_perm("programmes.manage_call"):
        return Call.objects.none()
    paths = scope_paths(user)
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(organisation__path__under=path)
    return Call.objects.filter(query).select_related("programme", "organisation")


def exportable_calls(user) -> QuerySet[Call]:
    """Calls whose applications the user may export (summary, all forms): the calls it manages, and, for
    a provincial administrator, the calls above it whose chain has a provincial level — a province
    exports its own part of a national call. The rows stay those of visible_applications(user)."""
    if not user.has_perm("programmes.manage_call"):
        return Call.objects.none()
    ids = set(manageable_calls(user).values_list("pk", flat=True))
    if Role.PROVINCE_ADMIN in user.role_set:
        ids |= {
            pk
            for pk, chain in visible_calls(user).values_list("pk", "review_chain")
            if ReviewLevel.PROVINCE in (chain or [])
        }
    return Call.objects.filter(pk__in=ids).select_related("programme", "organisation")


def get_exportable_call(user, *, pk: int) -> Call:
    try:
        return exportable_calls(user).get(pk=pk)
    except Call.DoesNotExist:
        raise Http404("申报批次不存在或不在您的范围内。")


def get_visible_call(user, *, pk: int) -> Call:
    try:
        return visible_calls(user).get(pk=pk)
    except Call.DoesNotExist:
        raise Http404("申报批次不存在或不在您的范围内。")


def get_manageable_call(user, *, pk: int) -> Call:
    try:
        return manageable_calls(user).get(pk=pk)
    except Call.DoesNotExist:
        raise Http404("申报批次不存在或不在您的管理范围内。")


def own_or_overseen(user, organisation: str, overseen: Q | None = None, *, path: str = "", lookup: str = "under") -> Q:
    """Rows of the user's own organisation (as its applicant), and rows of the organisations in its
    subtree (as their overseer, limited to `overseen`): the one rule of applications and projects.
    `path` names a column carrying the organisation's path on the row itself (applications), so the
    scope needs no join; by default the organisation's own path is read. `lookup` "within" gives the
    same rows with the path's index left out of the plan (orgs/lookups.py)."""
    roles = user.role_set
    path_field = path or f"{organisation}__path"
    query = Q(pk__in=[])
    if roles & APPLICANT_ROLES:
        query |= Q(**{f"{organisation}_id": user.organisation_id})
    if roles & OVERSEER_ROLES:
        for prefix in scope_paths(user):
            query |= Q(**{f"{path_field}__{lookup}": prefix}) & (overseen or Q())
    return query


def visible_applications(user, *, lookup: str = "under") -> QuerySet[Application]:
    if not _active(user):
        return Application.objects.none()
    # Drafts stay the applicant's own: an overseer sees what has been submitted at least once.
    query = own_or_overseen(user, "applicant", Q(version_count__gt=0), path="applicant_path", lookup=lookup)
    return Application.objects.filter(query).select_related("call", "applicant", "schema")


def get_visible_application(user, *, pk: int) -> Application:
    try:
        return visible_applications(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("申请不存在或不在您的范围内。")


def get_own_application(user, *, pk: int) -> Application:
    """An application of the user's own organisation, for the applicant's actions."""
    try:
        return visible_applications(user).get(pk=pk, applicant_id=user.organisation_id)
    except Application.DoesNotExist:
        raise Http404("申请不存在或不是本单位的申请。")


def get_visible_attachment(user, *, pk: int) -> Attachment:
    try:
        return Attachment.objects.select_related("application").get(pk=pk, application__in=visible_applications(user))
    except Attachment.DoesNotExist:
        raise Http404("附件不存在或不在您的范围内。")


def live_attachments(application: Application) -> QuerySet[Attachment]:
    return application.attachments.filter(removed_at__isnull=True)


def deadline(call: Call, step: str):
    return next((d.due_at for d in call.deadlines.all() if d.step == step), None)


def submission_deadline(call: Call):
    return deadline(call, Step.SUBMIT)


def is_open(call: Call, now=None) -> bool:
    now = now or timezone.now()
    due = submission_deadline(call)
    return call.is_published and call.opens_at <= now and (due is None or now <= due)


def open_calls_for(user) -> list[Call]:
    """Calls the user's organisation could apply to now, newest first."""
    from portal.programmes.eligibility import refusals

    calls = visible_calls(user).filter(is_published=True).prefetch_related("forms", "deadlines")
    return [c for c in calls if is_open(c) and not refusals(c, user.organisation, check_existing=False)]

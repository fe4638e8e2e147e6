"""Which projects a user sees, and the reads of one project's page. Built on the scoping layer."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from budgets.choices import MilestoneStatus
from budgets.models import Expenditure, Milestone
from portal.core.boundary import parse_id
from portal.orgs.selectors import applicants_of
from portal.programmes.models import Project
from portal.programmes.selectors import own_or_overseen
from portal.projects.models import ProgressReport, ReportStatus


def visible_projects(user) -> QuerySet[Project]:
    """Applicants see their own organisation's projects; overseers every project in their subtree."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id):
        return Project.objects.none()
    return Project.objects.filter(own_or_overseen(user, "organisation")).select_related(
        "call", "organisation", "organisation__parent"
    )


def get_visible_project(user, *, pk: int) -> Project:
    try:
        return visible_projects(user).get(pk=pk)
    except (Project.DoesNotExist, ValueError):
        raise Http404("项目不存在或不在您的范围内。")


def project_users(project):
    """Who runs the project: its organisation's applicants."""
    return applicants_of(project.organisation_id)


def supervisors(project) -> list:
    """Who acts for the level directly above the project (rules.SUPERVISOR_ROLE): they approve and read."""
    from portal.orgs.models import User
    from portal.projects.rules import SUPERVISOR_ROLE

    parent = project.organisation.parent
    role = SUPERVISOR_ROLE.get(parent.kind) if parent else None
    if role is None:
        return []
    return [
        u
        for u in User.objects.filter(is_active=True, role_grants__role=role, organisation__isnull=False)
        .select_related("organisation")
        .distinct()
        if parent.path.startswith(u.organisation.scope_path)
    ]


def _overdue_milestones(today):
    return Milestone.objects.filter(project=OuterRef("pk"), status=MilestoneStatus.OPEN, due_on__lt=today)


def _missing_reports(today):
    return ProgressReport.objects.filter(
        project=OuterRef("pk"), status__in=[ReportStatus.DUE, ReportStatus.RETURNED], due_on__lt=today
    )


def _over_budget_lines():
    """A line of the project whose expenditure sums past its amount. Grouped from the expenditure side
    and correlated through the plan's unique project key, so that each listed project costs a few index
    probes (a per-line subquery made PostgreSQL compute every line of every project once per page)."""
    return (
        Expenditure.objects.filter(line__plan__project_id=OuterRef("pk"))
        .values("line_id", "line__amount")
        .annotate(total=Sum("amount"))
        .filter(total__gt=F("line__amount"))
    )


def with_flags(qs: QuerySet[Project], today: date | None = None) -> QuerySet[Project]:
    """Each project with the three attention flags, computed in the one query of the list."""
    today = today or timezone.localdate()
    return qs.annotate(
        overdue=Exists(_overdue_milestones(today)),
        missing_reports=Exists(_missing_reports(today)),
        over_budget=Exists(_over_budget_lines()),
    )


def needing_attention(user, today: date | None = None) -> QuerySet[Project]:
    """Running projects with a flag: a removed (撤销) or accepted project has nothing left to chase."""
    from portal.programmes.choices import ProjectStatus

    qs = with_flags(visible_projects(user).filter(status__in=[ProjectStatus.RUNNING, ProjectStatus.EXTENDED]), today)
    return qs.filter(Q(overdue=True) | Q(missing_reports=True) | Q(over_budget=True))


def filter_projects(qs: QuerySet[Project], params) -> QuerySet[Project]:
    """The list's filters: call, city, kind, status, overdue, and a search by name."""
    if (call := parse_id(params.get("call", ""))) is not None:
        qs = qs.filter(call_id=call)
    if city := params.get("city", ""):
        qs = qs.filter(Q(organisation__path__contains=f"/{city}/"))
    if kind := params.get("kind", ""):
        qs = qs.filter(application__applicant_kind=kind)
    if status := params.get("status", ""):
        qs = qs.filter(status=status)
    if params.get("overdue") == "1":
        qs = qs.filter(overdue=True)
    if q := params.get("q", "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(organisation__name__icontains=q))
    return qs


def project_counts(project: Project) -> dict:
    today = timezone.localdate()
    return {
        "overdue": project.milestones.filter(status=MilestoneStatus.OPEN, due_on__lt=today).count(),
        "missing_reports": project.progress_reports.filter(
            status__in=[ReportStatus.DUE, ReportStatus.RETURNED], due_on__lt=today
        ).count(),
        "tasks": project.tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False))),
    }

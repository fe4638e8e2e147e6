"""What an administrator manages and what an expert is given. Experts see only their assignments."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from portal.experts.models import Assignment, AssignmentStatus, Expert, Panel, PanelStatus, Rubric
from portal.programmes.selectors import manageable_calls
from portal.review.selectors import acting_org

ACTIVE = [AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED]


def manageable_experts(user) -> QuerySet[Expert]:
    if not user.has_perm("experts.manage"):
        return Expert.objects.none()
    return Expert.objects.filter(province=acting_org(user)).select_related("user", "user__organisation", "region")


def get_manageable_expert(user, *, pk: int) -> Expert:
    try:
        return manageable_experts(user).get(pk=pk)
    except Expert.DoesNotExist:
        raise Http404("专家不存在或不在您的专家库中。")


def manageable_panels(user) -> QuerySet[Panel]:
    return (
        Panel.objects.filter(call__in=manageable_calls(user))
        .select_related("call", "leader", "leader__user")
        .annotate(
            assignment_count=Count("assignments", filter=Q(assignments__status__in=ACTIVE), distinct=True),
            submitted_count=Count(
                "assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED), distinct=True
            ),
        )
    )


def get_manageable_panel(user, *, pk: int) -> Panel:
    try:
        return manageable_panels(user).get(pk=pk)
    except Panel.DoesNotExist:
        raise Http404("专家组不存在或不在您的管理范围内。")


def led_panels(user) -> QuerySet[Panel]:
    return Panel.objects.filter(leader__user=user).select_related("call")


def get_led_panel(user, *, pk: int) -> Panel:
    try:
        return led_panels(user).get(pk=pk)
    except Panel.DoesNotExist:
        raise Http404("专家组不存在或您不是组长。")


def my_assignments(user) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(expert__user=user)
        .select_related("panel", "panel__call", "application", "application__applicant")
        .order_by("status", "panel", "pk")
    )


def get_my_assignment(user, *, pk: int) -> Assignment:
    try:
        return my_assignments(user).get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404("评审任务不存在或不是分配给您的。")


def panel_covering(application) -> Panel | None:
    """The panel that reviews an application (the one it has active assignments in)."""
    assignment = (
        Assignment.objects.filter(application=application, status__in=ACTIVE)
        .select_related("panel", "panel__leader")
        .first()
    )
    return assignment.panel if assignment else None


def leader_may_sign(user, application) -> bool | None:
    """The review chain's gate at the expert level: None when no panel reviews the application."""
    panel = panel_covering(application)
    if panel is None:
        return None
    return panel.status == PanelStatus.CLOSED and panel.leader.user_id == getattr(user, "pk", None)


def rubric_for(call, applicant_kind) -> Rubric | None:
    return Rubric.objects.filter(call=call, applicant_kind=applicant_kind).prefetch_related("criteria").first()


def others_visible(user, assignment: Assignment) -> bool:
    """Blind scoring: an expert sees the others' scores only after submitting; the leader after the close."""
    if assignment.panel.status == PanelStatus.CLOSED and assignment.panel.leader.user_id == user.pk:
        return True
    return assignment.status == AssignmentStatus.SUBMITTED


def panel_applications(panel: Panel):
    """Applications the panel may be given: at the expert level of its call, of its kind and category."""
    from portal.programmes.choices import ReviewLevel, Status
    from portal.programmes.models import Application

    qs = Application.objects.filter(call=panel.call, status=Status.SUBMITTED, stage=ReviewLevel.EXPERT)
    if panel.applicant_kind:
        qs = qs.filter(applicant_kind=panel.applicant_kind)
    apps = list(qs.select_related("applicant").prefetch_related("versions__schema"))
    if panel.category:
        apps = [a for a in apps if str(panel.category) in chosen_categories(a)]
    return apps


def chosen_categories(application) -> set[str]:
    """The category numbers the applicant chose (the definition's field of kind "categories")."""
    version = max(application.versions.all(), key=lambda v: v.number, default=None)
    if version is None:
        return set()
    definition = version.definition
    chosen = set()
    for name, spec in definition["fields"].items():
        if spec["kind"] == "categories":
            value = version.content["values"].get(name) or []
            chosen.update(str(v) for v in (value if isinstance(value, list) else [value]))
    return chosen


def panel_opinions(panel):
    """The expert-level opinions signed on the panel's applications."""
    from portal.review.models import Opinion

    return Opinion.objects.filter(level="expert", application__expert_assignments__panel=panel).distinct()

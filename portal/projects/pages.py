"""What every tab of a project's page shares: the project in scope, the tabs, and the user's powers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from portal.core.exceptions import Conflict, ServiceError
from portal.orgs.choices import OrgKind
from portal.programmes.choices import ProjectStatus
from portal.projects import selectors

TABS = (  # key, label, url name
    ("overview", "项目概况", "projects:detail"),
    ("implementation", "实施方案", "projects:implementation"),
    ("budget", "用款方案", "budgets:plan"),
    ("spending", "支出", "budgets:spending"),
    ("schedule", "进度安排", "projects:schedule"),
    ("tasks", "任务清单", "budgets:tasks"),
    ("indicators", "绩效目标", "evaluation:indicators"),
    ("reports", "进展报告", "projects:reports"),
    ("evaluation", "评估与验收", "evaluation:project"),
    ("showcase", "示范推广", "evaluation:showcase_project"),
)
# The resource-platform pilot's monthly report, for the calls that ask for it.
MONTHLY_TAB = ("monthly", "试点月报", "evaluation:monthly_project")
# A pilot school's own documents, after the tabs every project has.
SCHOOL_TABS = (("devplan", "发展规划", "schools:devplan"), ("training", "校本研修与考核", "schools:training"))


def project_context(request, pk: int, tab: str) -> dict:
    project = selectors.get_visible_project(request.user, pk=pk)
    tabs = TABS + SCHOOL_TABS if project.organisation.kind == OrgKind.SCHOOL else TABS
    if project.call.monthly_pilot_reports:
        tabs = tabs + (MONTHLY_TAB,)
    return {
        "project": project,
        "tab": tab,
        "tabs": tabs,
        # A removed (撤销) project keeps its pages to read, without a form to write.
        "can_edit": request.user.has_perm("projects.edit_project", project)
        and project.status != ProjectStatus.TERMINATED,
        "can_decide": request.user.has_perm("projects.decide_project", project),
    }


def acting_on(request, pk: int, permission: str):
    """The project of a POST: 404 outside the scope, 403 inside it without the power to act."""
    project = selectors.get_visible_project(request.user, pk=pk)
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def attempt(request, action, success) -> tuple[dict, int] | None:
    """Runs a form's service call. None when it went through (the success message is set; `success`
    may be a function of the result); else (errors by field, status) for the page to show again with
    what was typed: 409 when someone saved in between, 400 for a refusal."""
    try:
        result = action()
    except Conflict as conflict:
        messages.error(request, conflict.message + "您填写的内容仍在下方，请核对后再保存。")
        return {}, 409
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return refusal.errors, 400
    messages.success(request, success(result) if callable(success) else success)
    return None


def done_or_refused(request, action, success: str, target: str, *args):
    """Runs a service call behind a button and goes back to `target`; a refusal becomes a message with
    each field's reason, never a 500."""
    try:
        action()
    except PermissionError:  # a service's own check of who may act: 403, never a 500
        raise PermissionDenied
    except ServiceError as refusal:
        details = [m for msgs in refusal.errors.values() for m in msgs]
        messages.error(
            request, refusal.message + ("" if not details or details == [refusal.message] else " " + " ".join(details))
        )
        return redirect(target, *args)
    messages.success(request, success)
    return redirect(target, *args)

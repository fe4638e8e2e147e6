"""The project documents and the province's project summaries, registered as report kinds: they run
through the same jobs as the application forms (queued, rendered by a worker, reused only while the
state they draw is unchanged, audited on request and on download)."""

from __future__ import annotations

from django.http import Http404

from budgets import documents
from portal.programmes.selectors import get_exportable_call
from portal.reports.kinds import KINDS, PDF, XLSX, ReportKind


def _call(user, pk):
    """The call in the requester's export scope, as for the province summary."""
    return get_exportable_call(user, pk=pk)


def _project(user, pk):
    from portal.projects.selectors import get_visible_project

    return get_visible_project(user, pk=pk)


def _with_plan(user, pk):
    project = _project(user, pk)
    if not hasattr(project, "spending_plan"):
        raise Http404("项目尚未编制用款方案。")
    return project


def _with_table(user, pk):
    project = _project(user, pk)
    if not hasattr(project, "performance"):
        raise Http404("项目尚未填写绩效目标表。")
    return project


def _call_projects(user, call):
    from portal.projects.selectors import visible_projects

    return visible_projects(user).filter(call=call)


def _execution(ctx, call, out):
    documents.execution_summary(call, _call_projects(ctx.user, call), ctx.masker, out, ctx.progress)


def _attainment(ctx, call, out):
    documents.attainment_summary(call, _call_projects(ctx.user, call), ctx.masker, out, ctx.progress)


def _summaries_state(user, call, base_url):
    return documents.summaries_state(_call_projects(user, call))


VIEW = "projects.view_project"
KINDS.update(
    {
        "project_plan_pdf": ReportKind(
            "用款方案（PDF）",
            VIEW,
            "project",
            PDF,
            _with_plan,
            lambda p: f"{p.title}用款方案",
            documents.plan_pdf,
            documents.plan_state,
        ),
        "project_plan_xlsx": ReportKind(
            "用款方案（Excel）",
            VIEW,
            "project",
            XLSX,
            _with_plan,
            lambda p: f"{p.title}用款方案",
            documents.plan_xlsx,
            documents.plan_state,
        ),
        "project_tasks_pdf": ReportKind(
            "任务清单（PDF）",
            VIEW,
            "project",
            PDF,
            _project,
            lambda p: f"{p.title}任务清单",
            documents.tasks_pdf,
            documents.tasks_state,
        ),
        "project_tasks_xlsx": ReportKind(
            "任务清单（Excel）",
            VIEW,
            "project",
            XLSX,
            _project,
            lambda p: f"{p.title}任务清单",
            documents.tasks_xlsx,
            documents.tasks_state,
        ),
        "project_indicators_pdf": ReportKind(
            "绩效目标表（PDF）",
            VIEW,
            "project",
            PDF,
            _with_table,
            lambda p: f"{p.title}绩效目标表",
            documents.indicators_pdf,
            documents.indicators_state,
        ),
        "project_indicators_xlsx": ReportKind(
            "绩效目标表（Excel）",
            VIEW,
            "project",
            XLSX,
            _with_table,
            lambda p: f"{p.title}绩效目标表",
            documents.indicators_xlsx,
            documents.indicators_state,
        ),
        "budget_execution": ReportKind(
            "经费执行汇总表",
            "programmes.manage_call",
            "call",
            XLSX,
            _call,
            lambda call: f"{call.title}经费执行汇总表",
            _execution,
            _summaries_state,
        ),
        "indicator_attainment": ReportKind(
            "绩效指标达成汇总表",
            "programmes.manage_call",
            "call",
            XLSX,
            _call,
            lambda call: f"{call.title}绩效指标达成汇总表",
            _attainment,
            _summaries_state,
        ),
    }
)

"""The schools' documents registered as report kinds (queued, rendered by a worker, reused only while
their state is unchanged, audited on request and download), like the project documents."""

from __future__ import annotations

from django.http import Http404

from portal.orgs.choices import OrgKind
from portal.reports.kinds import KINDS, PDF, XLSX, ReportKind
from schools import documents


def _school_project(user, pk):
    from portal.projects.selectors import get_visible_project

    if not user.has_perm("schools.view_training"):
        raise Http404("没有可查看的校本研修与考核方案。")
    project = get_visible_project(user, pk=pk)
    if project.organisation.kind != OrgKind.SCHOOL or not hasattr(project, "training_plan"):
        raise Http404("该项目没有校本研修与考核方案。")
    return project


def _devplan_project(user, pk):
    from portal.projects.selectors import get_visible_project
    from schools.models import DevelopmentPlanVersion

    if not user.has_perm("schools.view_devplan"):
        raise Http404("没有可查看的发展规划。")
    project = get_visible_project(user, pk=pk)
    if (
        project.organisation.kind != OrgKind.SCHOOL
        or not DevelopmentPlanVersion.objects.filter(plan__project=project).exists()
    ):
        raise Http404("该项目没有已提交的发展规划。")
    return project


KINDS.update(
    {
        "devplan_pdf": ReportKind(
            "发展规划及专家指导意见（PDF）",
            "schools.view_devplan",
            "project",
            PDF,
            _devplan_project,
            lambda p: f"{p.organisation.name}学校信息化教育教学发展规划",
            documents.devplan_pdf,
            documents.devplan_state,
        ),
        "training_sheets_pdf": ReportKind(
            "考核表及排名（PDF）",
            "schools.view_training",
            "project",
            PDF,
            _school_project,
            lambda p: f"{p.organisation.name}校本研修考核表",
            documents.sheets_pdf,
            documents.sheets_state,
        ),
        "training_results_xlsx": ReportKind(
            "考核结果（Excel）",
            "schools.view_training",
            "project",
            XLSX,
            _school_project,
            lambda p: f"{p.organisation.name}校本研修考核结果",
            documents.results_xlsx,
            documents.sheets_state,
        ),
    }
)

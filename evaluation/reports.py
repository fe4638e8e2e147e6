"""The evaluation cycle's documents registered as report kinds (queued, rendered by a worker, reused
only while their state is unchanged, audited on request and download)."""

from __future__ import annotations

from django.http import Http404

from evaluation import documents
from portal.reports.kinds import KINDS, PDF, XLSX, ReportKind


def _entry_with_version(user, pk):
    from evaluation.scope import get_visible_entry

    if not user.has_perm("evaluation.view_rounds"):
        raise Http404("没有可查看的自评报告。")
    entry = get_visible_entry(user, pk=pk)
    if not entry.versions.exists():
        raise Http404("项目尚未提交自评报告。")
    return entry


def _entry_with_result(user, pk):
    from evaluation.scope import get_visible_entry, result_visible

    if not user.has_perm("evaluation.view_rounds"):
        raise Http404("没有可查看的评估结果。")
    entry = get_visible_entry(user, pk=pk)
    if not result_visible(user, entry):
        raise Http404("评估结果尚未公布。")
    return entry


def _managed_round(user, pk):
    from evaluation.scope import get_managed_round

    return get_managed_round(user, pk=pk)


def _acceptance_round(user, pk):
    round_ = _managed_round(user, pk)
    if round_.kind != "acceptance":
        raise Http404("只有验收批次有验收通过名单。")
    return round_


def _call(user, pk):
    from portal.programmes.selectors import get_exportable_call

    return get_exportable_call(user, pk=pk)


KINDS.update(
    {
        "selfeval_pdf": ReportKind(
            "自评报告（PDF）",
            "evaluation.view_rounds",
            "entry",
            PDF,
            _entry_with_version,
            lambda e: f"{e.project.title}自评报告",
            documents.selfeval_pdf,
            documents.selfeval_state,
        ),
        "evaluation_result_pdf": ReportKind(
            "评估结果表（PDF）",
            "evaluation.view_rounds",
            "entry",
            PDF,
            _entry_with_result,
            lambda e: f"{e.project.title}评估结果表",
            documents.result_pdf,
            documents.result_state,
        ),
        "round_results_xlsx": ReportKind(
            "评估结果（Excel）",
            "evaluation.manage_rounds",
            "round",
            XLSX,
            _managed_round,
            lambda r: f"{r.title}结果",
            documents.round_xlsx,
            documents.round_state,
        ),
        "acceptance_list_xlsx": ReportKind(
            "验收通过名单（Excel）",
            "evaluation.manage_rounds",
            "round",
            XLSX,
            _acceptance_round,
            lambda r: f"{r.title}验收通过名单",
            documents.acceptance_xlsx,
            documents.round_state,
        ),
        "showcase_xlsx": ReportKind(
            "示范推广案例目录（Excel）",
            "projects.export_projects",
            "call",
            XLSX,
            _call,
            lambda c: f"{c.title}示范推广案例目录",
            documents.showcase_xlsx,
            documents.showcase_state,
        ),
    }
)

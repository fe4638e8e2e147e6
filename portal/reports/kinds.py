"""The reports, as data: what each is called, who may ask for it, what it needs, how it is drawn.
Each `load` fetches its object through the requester's own scope; the renderer never widens it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404

from portal.programmes.choices import ReviewLevel
from portal.reports import state


@dataclass(frozen=True)
class RenderContext:
    """What a renderer may use besides its object: the requester (masking follows the role), a progress
    callback and the portal's address for the links it prints."""

    user: object
    masker: object
    progress: Callable[[int], None]
    base_url: str = ""


@dataclass(frozen=True)
class ReportKind:
    label: str
    permission: str
    param: str  # the one parameter: a list, a call or a panel id
    extension: str
    load: Callable  # (user, pk) → object in scope, else Http404
    title: Callable  # (object) → job title
    render: Callable  # (context, object, out)
    state: Callable  # (user, object, base_url) → digest of what render would draw now


def _list(user, pk):
    from portal.review.selectors import get_visible_list

    lst = get_visible_list(user, pk=pk)
    if lst.level != ReviewLevel.CITY:
        raise Http404("推荐汇总表和联系人信息表由设区市编制。")
    return lst


def _call(user, pk):
    from portal.programmes.selectors import get_exportable_call

    return get_exportable_call(user, pk=pk)


def _panel(user, pk):
    from portal.experts.selectors import get_manageable_panel

    return get_manageable_panel(user, pk=pk)


def _application(user, pk):
    from portal.programmes.selectors import get_visible_application

    application = get_visible_application(user, pk=pk)
    if not application.version_count:
        raise Http404("申请尚未提交，没有可打印的版本。")
    return application


def _any_list(user, pk):
    from portal.review.selectors import get_visible_list

    return get_visible_list(user, pk=pk)


def _call_applications(user, call):
    """Every submitted application of the call within the requester's scope."""
    from portal.programmes.selectors import visible_applications

    return visible_applications(user).filter(call=call)


def _summary(ctx, lst, out):
    from portal.reports.renderers.lists import recommendation_summary

    recommendation_summary(lst, lst.sent_by or ctx.user, ctx.masker, out, ctx.progress)


def _contacts(ctx, lst, out):
    from portal.reports.renderers.lists import contact_table

    contact_table(lst, lst.sent_by or ctx.user, ctx.masker, out, ctx.progress)


def _province(ctx, call, out):
    from portal.reports.renderers.province import province_summary

    province_summary(call, _call_applications(ctx.user, call), ctx.masker, out, ctx.progress)


def _scores(ctx, panel, out):
    from portal.reports.renderers.experts import expert_scores

    expert_scores(panel, ctx.masker, out, ctx.progress)


def _application_pdf(ctx, application, out):
    from portal.reports.pdf import application_pdf

    data, _ = application_pdf(application, ctx.user, base_url=ctx.base_url)
    out.write(data)


def _zip_pdfs(ctx, applications, out) -> None:
    """Each application as its PDF, in one ZIP, named 序号_单位名称.pdf in the order given; the 序号
    is padded to the count so that a file manager sorts the files in that order too."""
    import zipfile

    from portal.reports.pdf import application_pdf

    total = len(applications)
    width = max(2, len(str(total)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, application in enumerate(applications, 1):
            data, _ = application_pdf(application, ctx.user, base_url=ctx.base_url)
            archive.writestr(f"{i:0{width}d}_{application.applicant.name}.pdf", data)
            ctx.progress(int(i * 95 / total))


def _list_pdfs(ctx, lst, out):
    from portal.review.selectors import entries_of

    _zip_pdfs(ctx, [entry.application for entry in entries_of(lst)], out)


def _call_pdfs(ctx, call, out):
    """City by city."""
    _zip_pdfs(ctx, list(_call_applications(ctx.user, call).order_by("applicant__path", "applicant__name", "pk")), out)


# The state each kind draws (see state.py). Links are printed only in PDFs, so only they hash the address.
def _list_state(user, lst, base_url):
    return state.list_state(lst, contact=lst.sent_by or user)


def _list_pdfs_state(user, lst, base_url):
    return state.list_state(lst, base_url=base_url)


def _province_state(user, call, base_url):
    return state.call_state(call, _call_applications(user, call))


def _call_pdfs_state(user, call, base_url):
    return state.call_state(call, _call_applications(user, call), base_url=base_url, with_scores=False)


def _panel_state(user, panel, base_url):
    return state.panel_state(panel)


def _application_state(user, application, base_url):
    from portal.review.confidentiality import sees_reviewers

    return state.application_state(application, base_url=base_url, reveal=sees_reviewers(user))


XLSX, PDF, ZIP = "xlsx", "pdf", "zip"
KINDS: dict[str, ReportKind] = {
    "city_summary": ReportKind(
        "推荐汇总表（附件3）",
        "review.view_lists",
        "list",
        XLSX,
        _list,
        lambda lst: f"{lst.organisation.name}推荐汇总表",
        _summary,
        _list_state,
    ),
    "city_contacts": ReportKind(
        "联系人信息表（附件4）",
        "review.view_lists",
        "list",
        XLSX,
        _list,
        lambda lst: f"{lst.organisation.name}联系人信息表",
        _contacts,
        _list_state,
    ),
    "province_summary": ReportKind(
        "申报汇总表",
        "programmes.manage_call",
        "call",
        XLSX,
        _call,
        lambda call: f"{call.title}申报汇总表",
        _province,
        _province_state,
    ),
    "expert_scores": ReportKind(
        "专家评分表及排名",
        "experts.manage",
        "panel",
        XLSX,
        _panel,
        lambda panel: f"{panel.name}专家评分表",
        _scores,
        _panel_state,
    ),
}
KINDS.update(
    {
        "application_pdf": ReportKind(
            "申请表（PDF）",
            "programmes.view_application",
            "application",
            PDF,
            _application,
            lambda a: f"{a.applicant.name}{a.definition['title']}",
            _application_pdf,
            _application_state,
        ),
        "list_pdfs": ReportKind(
            "名单内全部申请表（ZIP）",
            "review.view_lists",
            "list",
            ZIP,
            _any_list,
            lambda lst: f"{lst.organisation.name}{lst.get_level_display()}名单申请表",
            _list_pdfs,
            _list_pdfs_state,
        ),
        "call_pdfs": ReportKind(
            "本批次全部申请表（ZIP）",
            "programmes.manage_call",
            "call",
            ZIP,
            _call,
            lambda call: f"{call.title}全部申请表",
            _call_pdfs,
            _call_pdfs_state,
        ),
    }
)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
    ZIP: "application/zip",
}

"""The download centre: ask for a report, watch its progress, download it while it lasts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.audit.services import log_action
from portal.core import files
from portal.core.addresses import request_base_url
from portal.core.boundary import parse_id
from portal.core.exceptions import ServiceError
from portal.reports import liveness
from portal.reports.models import JobStatus, ReportJob
from portal.reports.services import request_report, storage_dir


def _own(user, pk) -> ReportJob:
    try:
        return ReportJob.objects.get(pk=pk, requested_by=user)
    except ReportJob.DoesNotExist:
        raise Http404("报表任务不存在或不是您申请的。")


@login_required
@permission_required("reports.use_centre", raise_exception=True)
def centre_view(request):
    page = Paginator(ReportJob.objects.filter(requested_by=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "reports/centre.html", {"page": page, "now": timezone.now()})


@login_required
@require_POST
def request_view(request):
    pk = request.POST.get("pk", "")
    try:
        job, created = request_report(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            pk=parse_id(pk) or 0,
            base_url=request_base_url(request),
            regenerate=request.POST.get("regenerate") == "1",
        )
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect(request.POST.get("back") or "reports:centre")
    messages.success(
        request,
        f"已提交“{job.title}”的生成任务。"
        if created
        else f"“{job.title}”的内容自上次生成以来没有变化，下载中心里的文件即为当前状态。",
    )
    return redirect("reports:centre")


@login_required
def status_view(request, pk):
    job = _own(request.user, pk)
    if liveness.put_back(job):  # its worker is gone: back in the queue, and the user sees it so
        job.refresh_from_db()
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "progress": job.progress,
            "error": job.error,
            "size": job.size,
        }
    )


def job_file(user, pk):
    """The finished file of the user's own job, audited: the one path for the page and the API."""
    job = _own(user, pk)
    if job.status != JobStatus.DONE or not job.stored_name or (job.expires_at and job.expires_at <= timezone.now()):
        raise Http404("文件尚未生成或已过期，请重新申请。")
    path = storage_dir() / job.stored_name
    if not path.exists():
        raise Http404("文件已删除，请重新申请。")
    log_action("reports.download", actor=user, obj=job, data={"sha256": job.sha256})
    # A report is a file to keep: always a download, even a PDF.
    return files.path_response(path, job.content_type, job.file_name, download=True)


@login_required
def download_view(request, pk):
    return job_file(request.user, pk)


def verify_view(request, code):
    """Public: what the portal issued under a verification code."""
    from portal.reports.models import IssuedDocument

    try:
        document = IssuedDocument.objects.select_related("application__applicant", "application__call").get(
            code=code.upper()
        )
    except IssuedDocument.DoesNotExist:
        raise Http404("核验码不存在：该文件不是本平台出具的。")
    return render(request, "reports/verify.html", {"document": document})

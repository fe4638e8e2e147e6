"""Attachment upload, removal and download (the only way a stored file leaves the server)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.audit.services import log_action
from portal.core import files
from portal.core.exceptions import ServiceError
from portal.programmes import selectors
from portal.programmes.forms import AttachmentForm
from portal.programmes.services.attachments import add_attachment, remove_attachment


@login_required
@require_POST
@permission_required("programmes.apply", raise_exception=True)
def attachment_upload_view(request, pk):
    application = selectors.get_own_application(request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    else:
        upload = form.cleaned_data["file"]
        try:
            attachment = add_attachment(
                actor=request.user,
                application=application,
                name=upload.name,
                data=upload.read(),
                purpose=form.cleaned_data["purpose"],
                field=form.cleaned_data["field"],
            )
        except ServiceError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"已上传“{attachment.original_name}”。")
    anchor = f"#field-{form.data.get('field')}" if form.data.get("field") else "#attachments"
    return redirect(f"{application_edit_url(application)}{anchor}")


def application_edit_url(application):
    return reverse("programmes:application_edit", args=[application.pk])


@login_required
@require_POST
@permission_required("programmes.apply", raise_exception=True)
def attachment_delete_view(request, pk):
    attachment = selectors.get_visible_attachment(request.user, pk=pk)
    if attachment.application.applicant_id != request.user.organisation_id:
        raise Http404("附件不存在或不是本单位的附件。")
    try:
        remove_attachment(actor=request.user, attachment=attachment)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"已删除“{attachment.original_name}”。")
    return redirect(f"{application_edit_url(attachment.application)}#field-{attachment.field}")


def attachment_response(attachment) -> FileResponse:
    return files.file_response(attachment.stored_name, attachment.content_type, attachment.original_name)


def download(user, pk: int) -> FileResponse:
    """A scoped, audited download: the one path for the page and the API."""
    attachment = selectors.get_visible_attachment(user, pk=pk)
    log_action(
        "programmes.attachment.download",
        actor=user,
        obj=attachment.application,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return attachment_response(attachment)


@login_required
@permission_required("programmes.view_application", raise_exception=True)
def attachment_download_view(request, pk):
    return download(request.user, pk)

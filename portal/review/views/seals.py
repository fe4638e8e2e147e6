"""The organisation's seal: see it, replace it by a scan, or go back to the drawn one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from rules.contrib.views import permission_required

from portal.core import files
from portal.core.exceptions import ServiceError
from portal.orgs.selectors import is_in_scope
from portal.review.forms import SealUploadForm
from portal.review.models import Seal
from portal.review.selectors import acting_org
from portal.review.services.seals import current_seal, redraw_seal, upload_seal


@login_required
@permission_required("review.manage_seal", raise_exception=True)
def seal_view(request):
    org = acting_org(request.user)
    form = SealUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("action") == "redraw":
            redraw_seal(actor=request.user)
            messages.success(request, "已改用按单位名称生成的公章。")
            return redirect("review:seal")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                upload_seal(actor=request.user, name=upload.name, data=upload.read())
            except ServiceError as refusal:
                form.add_error("file", refusal.message)
            else:
                messages.success(request, "公章已更换。此后签署的意见使用新公章，已签署的意见保留原公章。")
                return redirect("review:seal")
    return render(request, "review/seal.html", {"org": org, "seal": current_seal(org), "form": form})


@login_required
def seal_image_view(request, pk):
    """A seal's picture, for the opinion boxes: visible to whoever can see its organisation."""
    try:
        seal = Seal.objects.select_related("organisation").get(pk=pk)
    except Seal.DoesNotExist:
        raise Http404("公章不存在。")
    org = seal.organisation
    own = request.user.organisation
    # Its own organisation's subtree, or an ancestor of the user's organisation (the boxes of its forms).
    if not (is_in_scope(request.user, org) or (own and request.user.role_set and own.path.startswith(org.path))):
        raise Http404("公章不存在。")
    if seal.image_name:
        return files.file_response(seal.image_name, seal.content_type, f"seal-{seal.pk}")
    response = HttpResponse(seal.svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response

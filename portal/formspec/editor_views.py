"""The form editor's pages: derive a draft from a published version, edit it (a structured editor in
the browser that saves JSON here), preview it side by side (web form and PDF), publish or discard it.
Only the publisher's own administrators reach a draft; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from portal.audit.services import log_action
from portal.core.boundary import BadJSON, load_json, parse_id
from portal.core.exceptions import Conflict, ServiceError
from portal.formspec import drafts, preview, resolve, selectors
from portal.formspec.models import FormDraft
from portal.formspec.validate import KINDS, LEVEL_NAMES, described, problems

PUBLISHES = permission_required("formspec.publish_definition", raise_exception=True)
KIND_NAMES = {
    "text": "单行文字",
    "textarea": "多行文字",
    "integer": "整数",
    "decimal": "数值（小数）",
    "yesno": "是 / 否",
    "choice": "单选",
    "categories": "实验类别（由批次设置）",
    "keywords": "关键词（由批次设置）",
    "rows": "多行表格",
}


def _draft(request, pk) -> FormDraft:
    try:
        return drafts.load(request.user, pk)
    except FormDraft.DoesNotExist:
        raise Http404("该草稿不存在。")


@login_required
@PUBLISHES
@require_POST
def derive_view(request, key, number):
    try:
        draft = drafts.derive(actor=request.user, key=key, version=number)
    except PermissionError:
        raise Http404("该表单版本不存在。")
    messages.success(request, f"已从“{key}”第 {number} 版派生草稿。修改会自动保存，发布前可预览。")
    return redirect("formspec:draft", draft.pk)


@login_required
@PUBLISHES
def draft_view(request, pk):
    draft = _draft(request, pk)
    definition = draft.definition
    return render(
        request,
        "formspec/editor.html",
        {
            "draft": draft,
            "definition_json": definition,
            "revision": draft.revision,
            "problems": described(drafts.check(definition), definition),
            "kinds": [[k, KIND_NAMES[k]] for k in KIND_NAMES if k in KINDS],
            "levels": [[k, v] for k, v in LEVEL_NAMES.items()],
            "help": resolve.HELP,
            "save_url": reverse("formspec:draft_save", args=[draft.pk]),
        },
    )


MAX_BODY = drafts.MAX_SOURCE + 1024


def _json_body(request):
    """The posted JSON object, or a 400 response naming why it is not one."""
    if request.content_type != "application/json":
        return None, JsonResponse({"detail": "请求内容须为 JSON（Content-Type: application/json）。"}, status=400)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY or len(request.body) > MAX_BODY:
        return None, JsonResponse({"detail": "表单定义过大（超过 512 KB）。"}, status=400)
    try:
        payload = load_json(request.body)
    except BadJSON as refusal:
        return None, JsonResponse({"detail": str(refusal)}, status=400)
    if not isinstance(payload, dict):
        return None, JsonResponse({"detail": "请求内容须为 JSON 对象。"}, status=400)
    return payload, None


@login_required
@PUBLISHES
@require_POST
def draft_save_view(request, pk):
    """Saves the editor's definition; answers the new revision and every problem with its path."""
    draft = _draft(request, pk)
    payload, refusal = _json_body(request)
    if refusal:
        return refusal
    try:
        saved, found = drafts.save(
            actor=request.user, draft=draft, definition=payload.get("definition"), revision=payload.get("revision")
        )
    except Conflict as conflict:
        return JsonResponse(
            {
                "detail": conflict.message,
                "revision": conflict.current_version,
                "updated_by": conflict.updated_by,
                "definition": draft.definition,
            },
            status=409,
        )
    except ServiceError as error:
        return JsonResponse({"detail": error.message}, status=400)
    return JsonResponse(
        {
            "revision": saved.revision,
            "key": saved.key,
            "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
            "problems": described(found, saved.definition),
        }
    )


def _preview_year(request) -> int:
    year = parse_id(request.GET.get("year", ""))
    return year if year is not None and 2000 <= year <= 2100 else timezone.localdate().year


def _resolved(request, draft) -> dict:
    return preview.resolved_for(draft.definition, year=_preview_year(request), province_name=draft.owner.name)


@login_required
@PUBLISHES
def draft_preview_view(request, pk):
    """Side by side: the web form an applicant will fill, and the PDF as it will print."""
    draft = _draft(request, pk)
    found = described(drafts.check(draft.definition), draft.definition)
    year = _preview_year(request)
    try:
        base = selectors.get_version(request.user, draft.base_key, draft.base_version).definition
    except Http404:
        base = None  # imported from another province's file: nothing here to compare with
    context = {
        "draft": draft,
        "problems": found,
        "year": year,
        "revision": draft.revision,
        "base": base,
        "changes": selectors.definition_changes(base, draft.definition)
        if base and not problems(draft.definition)
        else [],
        "pdf_url": f"{reverse('formspec:draft_pdf', args=[draft.pk])}?year={year}&rev={draft.revision}",
    }
    if not problems(draft.definition):  # the form can be built (its key may still need changing)
        definition = _resolved(request, draft)
        context.update(preview.web_form(definition))
        context["pages"] = preview.page_images(preview.sample_pdf(definition))
    return render(request, "formspec/draft_preview.html", context)


@login_required
@PUBLISHES
def draft_pdf_view(request, pk):
    draft = _draft(request, pk)
    definition = draft.definition
    if problems(definition):
        return HttpResponse(
            "表单定义尚有问题，无法生成预览，请先在编辑器中修正。", status=409, content_type="text/plain; charset=utf-8"
        )
    data = preview.sample_pdf(_resolved(request, draft))
    log_action("formspec.draft.preview_pdf", actor=request.user, obj=draft, data={"revision": draft.revision})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{draft.key}-sample.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@PUBLISHES
@require_POST
def draft_publish_view(request, pk):
    draft = _draft(request, pk)
    revision = parse_id(request.POST.get("revision", ""), default=-1)
    try:
        schema = drafts.publish(actor=request.user, draft=draft, revision=revision)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("formspec:draft_preview", draft.pk)
    messages.success(request, f"已发布“{schema.title}”第 {schema.version} 版；申报批次现在可以选用。")
    return redirect("formspec:detail", schema.key, schema.version)


@login_required
@PUBLISHES
@require_POST
def draft_discard_view(request, pk):
    draft = _draft(request, pk)
    drafts.discard(actor=request.user, draft=draft)
    messages.success(request, "草稿已删除。")
    return redirect("formspec:list")

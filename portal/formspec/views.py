"""The forms' definitions on the pages: every published version with its preview (the web form an
applicant sees, blank), its file (export, audited), and the differences between two versions."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rules.contrib.views import permission_required

from portal.audit.services import log_action
from portal.core.boundary import parse_id
from portal.formspec import drafts, preview, resolve, selectors


@login_required
def definition_list_view(request):
    return render(
        request,
        "formspec/list.html",
        {
            "versions": selectors.versions(request.user),
            "drafts": drafts.mine(request.user).select_related("updated_by"),
        },
    )


@login_required
def definition_detail_view(request, key, number):
    item = selectors.get_version(request.user, key, number)
    others = [v.version for v in selectors.versions(request.user) if v.key == key and v.version != number]
    # Placeholders shown as a call of this year in the reader's province would fill them.
    org = request.user.organisation
    definition = preview.resolved_for(
        item.definition, year=timezone.localdate().year, province_name=org.name if org else ""
    )
    return render(
        request,
        "formspec/detail.html",
        {
            "item": item,
            "others": others,
            "placeholders": resolve.uses_placeholders(json.dumps(item.definition, ensure_ascii=False)),
            **preview.web_form(definition),
        },
    )


@login_required
def definition_export_view(request, key, number):
    item = selectors.get_version(request.user, key, number)
    log_action(
        "formspec.definition.export", actor=request.user, data={"key": key, "version": number, "sha256": item.sha256}
    )
    response = HttpResponse(
        json.dumps(item.definition, ensure_ascii=False, indent=1) + "\n", content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{key}.v{number}.json"'
    return response


@login_required
def definition_compare_view(request, key):
    mine = {v.version: v for v in selectors.versions(request.user) if v.key == key}
    if not mine:
        raise Http404("该表单不存在。")
    numbers = sorted(mine)
    try:
        old = mine[parse_id(request.GET.get("from", numbers[0]))]
        new = mine[parse_id(request.GET.get("to", numbers[-1]))]
    except KeyError:
        raise Http404("该表单版本不存在。")
    return render(
        request,
        "formspec/compare.html",
        {
            "key": key,
            "old": old,
            "new": new,
            "numbers": numbers,
            "changes": selectors.definition_changes(old.definition, new.definition),
        },
    )


IMPORT_MAX = 1024 * 1024


@login_required
@permission_required("formspec.publish_definition", raise_exception=True)
def definition_import_view(request):
    """Publish a definition from its file (exported here, edited, imported): checked, a new version."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from portal.core.exceptions import ServiceError
    from portal.formspec import services
    from portal.formspec.files import DefinitionFileError, parse

    errors, status = [], 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        status = 400
        if upload is None:
            errors = [("file", "请选择表单定义文件（.json）。")]
        elif upload.size > IMPORT_MAX:
            errors = [("file", "表单定义文件不能超过 1 MB。")]
        else:
            try:
                definition = parse(upload.read(), upload.name)
                if "as_draft" in request.POST:
                    draft = drafts.import_draft(actor=request.user, definition=definition, name=upload.name)
                    messages.success(request, f"已导入为草稿（表单标识 {draft.key}），修改、预览后再发布。")
                    return redirect("formspec:draft", draft.pk)
                schema = services.publish(actor=request.user, definition=definition)
            except DefinitionFileError as refusal:
                errors = [("file", str(refusal))]
            except ServiceError as refusal:
                errors = [(path, m) for path, ms in refusal.errors.items() for m in ms] or [("", refusal.message)]
                messages.error(request, refusal.message)
            else:
                messages.success(request, f"已发布“{schema.title}”第 {schema.version} 版。")
                return redirect("formspec:detail", schema.key, schema.version)
    return render(request, "formspec/import.html", {"errors": errors}, status=status)

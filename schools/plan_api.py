"""REST API of a school's 发展规划 and the 专家指导意见建议表: the draft (PUT with the lock version it
started from, 409 when stale; values as the form posts them), submission (400 with each field's reason),
the versions, and the guidance tables — an expert's own (as leader or member), an overseer's in scope;
the leader saves the summary (409 when stale) and signs, a member saves a note. Phones and e-mails are
masked as on the pages, through the same services and selectors."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.permissions import HasRulePermission
from portal.api.schema import OBJECT, OBJECTS
from portal.api.validation import body
from portal.orgs.choices import OrgKind
from portal.programmes.presentation import redacted
from portal.projects.api import ProjectScoped
from portal.reports.masking import Masker
from schools import devplans, selectors
from schools import guidance as guidance_services


class DevPlanWriteSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0)
    data = serializers.DictField(
        label="填写内容",
        child=serializers.CharField(max_length=10000, allow_blank=True),
        help_text="表单各栏的值，键为表单字段名（表格单元格为 字段__行__列，如 team__0__name）。",
    )


class LockSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0)


class GuidanceWriteSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0, required=False)
    summary = serializers.CharField(
        label="指导意见建议汇总", max_length=guidance_services.SUMMARY_LIMIT, required=False, allow_blank=True
    )
    note = serializers.CharField(
        label="专家意见", max_length=guidance_services.NOTE_LIMIT, required=False, allow_blank=True
    )

    def validate(self, attrs):
        if "summary" not in attrs and "note" not in attrs:
            raise serializers.ValidationError("请提供 summary（组长）或 note（专家意见）。")
        if "summary" in attrs and "lock_version" not in attrs:
            raise serializers.ValidationError("保存汇总须提供 lock_version。")
        return attrs


def _version(version, *, whole: bool) -> dict:
    definition = version.definition
    values = version.content["values"]
    return {
        "number": version.number,
        "sha256": version.sha256,
        "submitted_at": version.submitted_at,
        "values": values if whole else redacted(definition, values),
        "attachments": [{"id": a["id"], "name": a["name"], "size": a["size"]} for a in version.content["attachments"]],
    }


def _guidance(g, user) -> dict:
    masker = Masker(user)
    return {
        "id": g.pk,
        "project": g.plan.project_id,
        "unit": g.plan.project.organisation.name,
        "version": g.version.number,
        "status": g.status,
        "status_text": g.get_status_display(),
        "mode": selectors.mode_of(g.version),
        "summary": g.summary,
        "lock_version": g.lock_version,
        "signed_at": g.signed_at,
        "answer": g.answer.number if g.answer_id else None,
        **selectors.guidance_people(g, whole=not masker.on, masker=masker),
    }


class DevPlanView(ProjectScoped, APIView):
    required_permission = "schools.view_devplan"

    def plan(self, pk, permission=None):
        project = self.project(pk, permission)
        if project.organisation.kind != OrgKind.SCHOOL:
            raise NotFound("发展规划只属于实验校项目。")
        return devplans.plan_of(project)

    def data(self, plan) -> dict:
        user, project = self.request.user, plan.project
        editor = user.has_perm("projects.edit_project", project)
        whole = editor or not Masker(user).on
        versions = list(plan.versions.select_related("schema").order_by("number"))
        out = {
            "project": project.pk,
            "form": {"key": plan.schema.key, "version": plan.schema.version},
            "version_count": plan.version_count,
            "versions": [{"number": v.number, "sha256": v.sha256, "submitted_at": v.submitted_at} for v in versions],
            "latest": _version(versions[-1], whole=whole) if versions else None,
            "guidance": [
                _guidance(g, user)
                for g in plan.guidance.select_related(
                    "version", "answer", "leader__user", "plan__project__organisation"
                ).order_by("pk")
                if not (editor and g.status == "writing")
            ],
        }
        if editor:
            form = devplans.bound_form(plan)
            out.update(
                {
                    "lock_version": plan.lock_version,
                    "draft": plan.data,
                    "errors": {k: list(v) for k, v in form.errors.items()},
                }
            )
        return out

    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        return Response(self.data(self.plan(pk)))

    @extend_schema(request=DevPlanWriteSerializer, responses={200: OBJECT, 409: OBJECT})
    def put(self, request, pk):
        plan = self.plan(pk, "projects.edit_project")
        data = body(DevPlanWriteSerializer, request)
        plan = devplans.save_draft(
            actor=request.user, plan=plan, raw=data["data"], expected_version=data["lock_version"]
        )
        return Response(self.data(plan))


class DevPlanSubmitView(DevPlanView):
    @extend_schema(request=LockSerializer, responses={201: OBJECT, 400: OBJECT, 409: OBJECT})
    def post(self, request, pk):
        plan = self.plan(pk, "projects.edit_project")
        expected = body(LockSerializer, request)["lock_version"]
        version = devplans.submit(actor=request.user, plan=plan, expected_version=expected)
        return Response(_version(version, whole=True), status=status.HTTP_201_CREATED)


class _Guidance(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "schools.view_guidance"


class GuidanceListView(_Guidance):
    @extend_schema(operation_id="v1_guidance_list", responses={200: OBJECTS})
    def get(self, request):
        items = selectors.visible_guidance(request.user).order_by("-created_at", "-pk")[:200]
        return Response([_guidance(g, request.user) for g in items])


class GuidanceDetailView(_Guidance):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, gpk):
        g = selectors.get_visible_guidance(request.user, pk=gpk)
        masker = Masker(request.user)
        return Response(
            {
                **_guidance(g, request.user),
                "plan": _version(g.version, whole=not masker.on),
                "notes": {k: v for k, v in g.notes.items() if v},
            }
        )

    @extend_schema(request=GuidanceWriteSerializer, responses={200: OBJECT, 400: OBJECT, 409: OBJECT})
    def put(self, request, gpk):
        g = selectors.get_visible_guidance(request.user, pk=gpk)
        data = body(GuidanceWriteSerializer, request)
        try:
            if "note" in data:
                g = guidance_services.write_note(actor=request.user, guidance=g, text=data["note"])
            if "summary" in data:
                g = guidance_services.save_summary(
                    actor=request.user, guidance=g, summary=data["summary"], expected_version=data["lock_version"]
                )
        except PermissionError:
            raise PermissionDenied("只有本组专家可以填写意见，只有组长可以填写汇总。")
        return Response(_guidance(selectors.get_visible_guidance(request.user, pk=gpk), request.user))


class GuidanceSignView(_Guidance):
    @extend_schema(request=None, responses={200: OBJECT, 400: OBJECT})
    def post(self, request, gpk):
        g = selectors.get_visible_guidance(request.user, pk=gpk)
        try:
            guidance_services.sign(actor=request.user, guidance=g)
        except PermissionError:
            raise PermissionDenied("只有组长可以签署。")
        return Response(_guidance(selectors.get_visible_guidance(request.user, pk=gpk), request.user))

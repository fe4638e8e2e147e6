"""REST API of calls, applications and attachments, within the caller's scope (same selectors
and services as the pages). A draft update names the lock_version it started from: 409 if stale."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.filters import BACKENDS, ApplicationFilter, CallFilter
from portal.api.permissions import HasRulePermission
from portal.api.schema import FILE_RESPONSES
from portal.api.validation import body
from portal.core.exceptions import ServiceError
from portal.programmes import selectors
from portal.programmes.choices import AttachmentPurpose
from portal.programmes.models import Application, Attachment, Call
from portal.programmes.services.applications import (
    bound_form,
    save_draft,
    start_application,
    submit_application,
    withdraw_application,
)
from portal.programmes.services.attachments import add_attachment
from portal.programmes.views.attachments import download


class CallSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code")
    categories = serializers.SerializerMethodField()
    forms = serializers.SerializerMethodField()
    quotas = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "issuing_authority",
            "document_number",
            "organisation",
            "is_published",
            "opens_at",
            "is_open",
            "multiple_categories",
            "target_zones",
            "target_schools",
            "review_chain",
            "notice_days",
            "cycle_years",
            "extension_years_max",
            "max_file_mb",
            "max_total_mb",
            "categories",
            "forms",
            "quotas",
            "deadlines",
        ]

    def get_categories(self, call) -> list[dict]:
        return [{"number": c.number, "name": c.name, "keywords": c.keywords} for c in call.categories.all()]

    def get_forms(self, call) -> list[dict]:
        return [{"applicant_kind": f.applicant_kind, "form_key": f.form_key} for f in call.forms.all()]

    def get_quotas(self, call) -> list[dict]:
        return [{"level": q.level, "target": q.target, "max_count": q.max_count} for q in call.quotas.all()]

    def get_deadlines(self, call) -> list[dict]:
        return [{"step": d.step, "due_at": d.due_at, "note": d.note} for d in call.deadlines.all()]

    def get_is_open(self, call) -> bool:
        return selectors.is_open(call)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "purpose", "field", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.code")
    applicant_name = serializers.CharField(source="applicant.name")
    form = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "applicant",
            "applicant_name",
            "applicant_kind",
            "form",
            "status",
            "lock_version",
            "title",
            "data",
            "errors",
            "updated_at",
            "submitted_at",
            "version_count",
            "versions",
        ]

    def get_form(self, application) -> dict:
        return {"key": application.schema.key, "version": application.schema.version}

    def get_errors(self, application) -> dict:
        """Problems in the draft as typed (limits, formats); required fields are checked on submit."""
        if not self.context.get("with_errors"):
            return {}
        form = bound_form(application)
        form.is_valid()
        return {k: list(v) for k, v in form.errors.items()}

    def get_versions(self, application) -> list[dict]:
        return [
            {"number": v.number, "sha256": v.sha256, "submitted_at": v.submitted_at} for v in application.versions.all()
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    call = serializers.IntegerField(label="申报批次", min_value=1)


class DraftUpdateSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0)
    data = serializers.DictField(label="表单内容")


class SubmitSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0, required=False, allow_null=True, default=None)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="文件")
    purpose = serializers.ChoiceField(
        label="用途", choices=AttachmentPurpose.choices, required=False, default=AttachmentPurpose.OTHER
    )
    field = serializers.CharField(label="栏目", required=False, allow_blank=True, default="", max_length=100)


class _CallQueryset:
    serializer_class = CallSerializer
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_call"

    def get_queryset(self):
        return (
            selectors.visible_calls(self.request.user)
            .prefetch_related("categories", "forms", "quotas", "deadlines")
            .order_by("-opens_at", "-pk")
        )


class CallListView(_CallQueryset, generics.ListAPIView):
    filterset_class = CallFilter
    filter_backends = BACKENDS


class CallDetailView(_CallQueryset, generics.RetrieveAPIView):
    pass


class ApplicationListView(generics.ListCreateAPIView):
    serializer_class = ApplicationSerializer
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_application"
    filterset_class = ApplicationFilter
    filter_backends = BACKENDS

    def get_queryset(self):
        return selectors.visible_applications(self.request.user).prefetch_related("versions").order_by("-pk")

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def post(self, request):
        call = selectors.get_visible_call(request.user, pk=body(ApplicationCreateSerializer, request)["call"])
        try:
            application = start_application(actor=request.user, call=call)
        except ServiceError as error:
            if not request.user.has_perm("programmes.apply"):  # not an applicant at all: forbidden, not malformed
                raise PermissionDenied(error.message) from error
            raise
        return Response(
            ApplicationSerializer(application, context={"with_errors": True}).data, status=status.HTTP_201_CREATED
        )


class ApplicationDetailView(generics.RetrieveAPIView):
    serializer_class = ApplicationSerializer
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_application"

    def get_queryset(self):
        return selectors.visible_applications(self.request.user).prefetch_related("versions")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_errors": True}

    @extend_schema(request=DraftUpdateSerializer, responses={200: ApplicationSerializer})
    def patch(self, request, pk):
        application = selectors.get_own_application(request.user, pk=pk)
        data = body(DraftUpdateSerializer, request)
        application = save_draft(
            actor=request.user, application=application, raw=data["data"], expected_version=data["lock_version"]
        )
        return Response(ApplicationSerializer(application, context={"with_errors": True}).data)


class ApplicationSubmitView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "programmes.apply"

    @extend_schema(
        request=SubmitSerializer,
        responses={
            200: inline_serializer(
                "Submitted", {"version": serializers.IntegerField(), "sha256": serializers.CharField()}
            )
        },
    )
    def post(self, request, pk):
        application = selectors.get_own_application(request.user, pk=pk)
        expected = body(SubmitSerializer, request)["lock_version"]
        version = submit_application(actor=request.user, application=application, expected_version=expected)
        return Response(
            {
                "version": version.number,
                "sha256": version.sha256,
                "submitted_at": timezone.localtime(version.submitted_at),
            }
        )


class ApplicationWithdrawView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "programmes.apply"

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    def post(self, request, pk):
        application = selectors.get_own_application(request.user, pk=pk)
        application = withdraw_application(actor=request.user, application=application)
        return Response(ApplicationSerializer(application).data)


class AttachmentListView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_application"
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: AttachmentSerializer(many=True)})
    def get(self, request, pk):
        application = selectors.get_visible_application(request.user, pk=pk)
        return Response(AttachmentSerializer(selectors.live_attachments(application), many=True).data)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer})
    def post(self, request, pk):
        if not request.user.has_perm("programmes.apply"):
            return Response({"detail": "您没有申报权限。"}, status=status.HTTP_403_FORBIDDEN)
        application = selectors.get_own_application(request.user, pk=pk)
        data = body(UploadSerializer, request)
        upload = data["file"]
        attachment = add_attachment(
            actor=request.user,
            application=application,
            name=upload.name,
            data=upload.read(),
            purpose=data["purpose"],
            field=data["field"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_application"

    @extend_schema(responses=FILE_RESPONSES)
    def get(self, request, pk):
        return download(request.user, pk)

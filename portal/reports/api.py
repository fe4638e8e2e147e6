"""REST API of report jobs: ask for a report, follow its progress, fetch the file (one's own only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.permissions import HasRulePermission
from portal.api.schema import FILE_RESPONSES
from portal.api.validation import body
from portal.core.addresses import request_base_url
from portal.reports import liveness, views
from portal.reports.kinds import KINDS
from portal.reports.models import ReportJob
from portal.reports.services import request_report


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "params",
            "title",
            "status",
            "progress",
            "attempts",
            "error",
            "file_name",
            "size",
            "sha256",
            "state_hash",
            "state_at",
            "created_at",
            "finished_at",
            "expires_at",
        ]


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="报表类型", choices=list(KINDS))
    pk = serializers.IntegerField(label="对象编号", min_value=1)
    regenerate = serializers.BooleanField(label="重新生成", required=False, default=False)


class JobListView(generics.ListCreateAPIView):
    serializer_class = JobSerializer
    permission_classes = [HasRulePermission]
    required_permission = "reports.use_centre"

    def get_queryset(self):
        return ReportJob.objects.filter(requested_by=self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={201: JobSerializer, 200: JobSerializer})
    def post(self, request):
        data = body(ReportRequestSerializer, request)
        job, created = request_report(
            actor=request.user,
            kind=data["kind"],
            pk=data["pk"],
            base_url=request_base_url(request),
            regenerate=data["regenerate"],
        )
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class JobDetailView(generics.RetrieveAPIView):
    serializer_class = JobSerializer
    permission_classes = [HasRulePermission]
    required_permission = "reports.use_centre"

    def get_queryset(self):
        return ReportJob.objects.filter(requested_by=self.request.user)

    def get_object(self):
        job = super().get_object()
        if liveness.put_back(job):  # asking for the status notices a dead worker
            job.refresh_from_db()
        return job


class JobFileView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "reports.use_centre"

    @extend_schema(responses=FILE_RESPONSES)
    def get(self, request, pk):
        return views.job_file(request.user, pk)

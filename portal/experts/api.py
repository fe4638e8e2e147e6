"""REST API of expert review: an expert's assignments and score sheets; a panel's results for the
administrator. Contact details of applicants are never part of it."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.permissions import HasRulePermission
from portal.experts import results, selectors
from portal.experts.models import Assignment
from portal.experts.services.sheets import save_sheet
from portal.programmes.services import ServiceError


class AssignmentSerializer(serializers.ModelSerializer):
    panel = serializers.CharField(source="panel.name")
    application = serializers.IntegerField(source="application_id")
    applicant = serializers.CharField(source="application.applicant.name")
    title = serializers.CharField(source="application.title")

    class Meta:
        model = Assignment
        fields = ["id", "panel", "application", "applicant", "title", "status", "scores", "comment", "total",
                  "submitted_at"]


class AssignmentListView(generics.ListAPIView):
    serializer_class = AssignmentSerializer
    permission_classes = [HasRulePermission]
    required_permission = "experts.score"

    def get_queryset(self):
        return selectors.my_assignments(self.request.user)


class ScoreView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "experts.score"

    @extend_schema(request=inline_serializer("ScoreSheet", {
        "points": serializers.DictField(child=serializers.CharField()),
        "comments": serializers.DictField(child=serializers.CharField(), required=False),
        "comment": serializers.CharField(required=False), "submit": serializers.BooleanField(required=False)}),
        responses={200: AssignmentSerializer})
    def post(self, request, pk):
        assignment = selectors.get_my_assignment(request.user, pk=pk)
        points = request.data.get("points")
        if not isinstance(points, dict):
            return Response({"detail": "points 须为 {评分项序号: 得分}。"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            assignment = save_sheet(actor=request.user, assignment=assignment, points=points,
                                    comments=request.data.get("comments") or {},
                                    comment=str(request.data.get("comment", "")), submit=bool(request.data.get("submit")))
        except ServiceError as error:
            return Response({"detail": error.message, "errors": error.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(AssignmentSerializer(selectors.get_my_assignment(request.user, pk=pk)).data)


class PanelResultsView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "experts.manage"

    @extend_schema(responses={200: inline_serializer("PanelResult", {
        "application": serializers.IntegerField(), "applicant": serializers.CharField(),
        "category": serializers.CharField(), "totals": serializers.DictField(), "mean": serializers.CharField(),
        "trimmed_mean": serializers.CharField(), "spread": serializers.CharField(),
        "outliers": serializers.DictField(), "rank": serializers.IntegerField(),
        "category_rank": serializers.IntegerField(), "within_target": serializers.BooleanField()}, many=True)})
    def get(self, request, pk):
        panel = selectors.get_manageable_panel(request.user, pk=pk)
        rows = results.against_targets(results.panel_results(panel), panel.call)
        text = lambda v: None if v is None else str(v)  # noqa: E731
        return Response([{
            "application": r.application.pk, "applicant": r.application.applicant.name, "category": r.category,
            "totals": {str(e): text(t) for e, t in r.totals.items()}, "mean": text(r.mean),
            "trimmed_mean": text(r.trimmed), "spread": text(r.spread),
            "outliers": {str(e): text(d) for e, d in r.outliers.items()}, "rank": r.rank,
            "category_rank": r.category_rank, "within_target": r.within_target} for r in rows])

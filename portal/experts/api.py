"""REST API of expert review: an expert's assignments and score sheets; a panel's results for the
administrator. Contact details of applicants are never part of it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.permissions import HasRulePermission
from portal.api.validation import body
from portal.experts import results, selectors
from portal.experts.models import Assignment
from portal.experts.services.sheets import save_sheet


class AssignmentSerializer(serializers.ModelSerializer):
    panel = serializers.CharField(source="panel.name")
    application = serializers.IntegerField(source="application_id")
    applicant = serializers.CharField(source="application.applicant.name")
    title = serializers.CharField(source="application.title")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "panel",
            "application",
            "applicant",
            "title",
            "status",
            "scores",
            "comment",
            "total",
            "submitted_at",
        ]


class ScoreSheetSerializer(serializers.Serializer):
    points = serializers.DictField(label="得分", child=serializers.CharField(allow_blank=True, max_length=20))
    comments = serializers.DictField(
        label="评分项意见", child=serializers.CharField(allow_blank=True, max_length=5000), required=False, default=dict
    )
    comment = serializers.CharField(
        label="总体评审意见", required=False, allow_blank=True, default="", max_length=10000
    )
    submit = serializers.BooleanField(label="提交", required=False, default=False)


class AssignmentListView(generics.ListAPIView):
    serializer_class = AssignmentSerializer
    permission_classes = [HasRulePermission]
    required_permission = "experts.score"

    def get_queryset(self):
        return selectors.my_assignments(self.request.user)


class ScoreView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "experts.score"

    @extend_schema(request=ScoreSheetSerializer, responses={200: AssignmentSerializer})
    def post(self, request, pk):
        assignment = selectors.get_my_assignment(request.user, pk=pk)
        data = body(ScoreSheetSerializer, request)
        assignment = save_sheet(
            actor=request.user,
            assignment=assignment,
            points=data["points"],
            comments=data["comments"],
            comment=data["comment"],
            submit=data["submit"],
        )
        return Response(AssignmentSerializer(selectors.get_my_assignment(request.user, pk=pk)).data)


class PanelResultsView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "experts.manage"

    @extend_schema(
        responses={
            200: inline_serializer(
                "PanelResult",
                {
                    "application": serializers.IntegerField(),
                    "applicant": serializers.CharField(),
                    "category": serializers.CharField(allow_blank=True),
                    "totals": serializers.DictField(child=serializers.CharField(allow_null=True)),
                    # Until enough experts have scored, the figures are not there yet: null, not zero.
                    "mean": serializers.CharField(allow_null=True),
                    "trimmed_mean": serializers.CharField(allow_null=True),
                    "spread": serializers.CharField(allow_null=True),
                    "outliers": serializers.DictField(child=serializers.CharField(allow_null=True)),
                    "rank": serializers.IntegerField(allow_null=True),
                    "category_rank": serializers.IntegerField(allow_null=True),
                    "within_target": serializers.BooleanField(allow_null=True),
                },
                many=True,
            )
        }
    )
    def get(self, request, pk):
        panel = selectors.get_manageable_panel(request.user, pk=pk)
        rows = results.against_targets(results.panel_results(panel), panel.call)
        text = lambda v: None if v is None else str(v)  # noqa: E731
        return Response(
            [
                {
                    "application": r.application.pk,
                    "applicant": r.application.applicant.name,
                    "category": r.category,
                    "totals": {str(e): text(t) for e, t in r.totals.items()},
                    "mean": text(r.mean),
                    "trimmed_mean": text(r.trimmed),
                    "spread": text(r.spread),
                    "outliers": {str(e): text(d) for e, d in r.outliers.items()},
                    "rank": r.rank,
                    "category_rank": r.category_rank,
                    "within_target": r.within_target,
                }
                for r in rows
            ]
        )

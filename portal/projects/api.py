"""REST API of projects and what they record — plan and lines, adjustments, expenditure, stages and
milestones, tasks, indicators with actuals, progress reports — within the caller's scope, through
the same selectors and services as the pages. Every body goes through a serializer (400 with the
field named in Chinese); a stale plan is a 409."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets import arithmetic
from budgets import selectors as money
from budgets.models import Expenditure
from budgets.services import plans
from budgets.services.spending import record_expenditure
from evaluation import selectors as indicator_reads
from evaluation import services as indicator_services
from portal.api.permissions import HasRulePermission
from portal.api.schema import OBJECT, OBJECTS
from portal.api.validation import body
from portal.core.boundary import parse_id
from portal.projects import selectors
from portal.projects import services as report_services
from portal.projects.models import ProgressReport


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    call = serializers.IntegerField(source="call_id")
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    extended_ends_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField(required=False)
    missing_reports = serializers.BooleanField(required=False)
    over_budget = serializers.BooleanField(required=False)


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    category = serializers.CharField(label="资金投入方向", max_length=100)
    purpose = serializers.CharField(label="项目", max_length=200)
    explanation = serializers.CharField(label="说明", allow_blank=True, required=False, default="")
    unit_cost = serializers.CharField(label="单价（万元）", max_length=30)
    quantity = serializers.CharField(label="数量", max_length=30)
    unit = serializers.CharField(label="单位", max_length=20)
    amount = serializers.CharField(read_only=True)


class PlanWriteSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0, required=False, allow_null=True, default=None)
    grant = serializers.CharField(label="下达资金（万元）", max_length=30)
    source = serializers.CharField(label="资金来源", max_length=200)
    goal = serializers.CharField(label="工作目标", allow_blank=True, required=False, default="")
    lines = LineSerializer(label="预算项目", many=True)


class VersionSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0)


class AdjustmentWriteSerializer(serializers.Serializer):
    amounts = serializers.DictField(
        label="调整后金额", child=serializers.CharField(max_length=30), help_text="{预算项目 id: 新金额（万元）}"
    )
    reason = serializers.CharField(label="调整理由", max_length=2000)


class ExpenditureSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    line = serializers.IntegerField(label="预算项目", source="line_id")
    spent_on = serializers.DateField(label="支出日期")
    amount = serializers.CharField(label="金额（万元）", max_length=30)
    payee = serializers.CharField(label="收款单位/用途", max_length=200)
    voucher_name = serializers.CharField(read_only=True)


class ActualSerializer(serializers.Serializer):
    actual = serializers.CharField(label="实际值", max_length=2000)


class ReportFileSerializer(serializers.Serializer):
    text = serializers.CharField(label="进展情况", max_length=5000)


def _amounts(value) -> str:
    return arithmetic.show(value) if value is not None else None


def _plan_data(project) -> dict:
    plan = money.plan_of(project)
    if plan is None:
        return {"plan": None}
    execution = money.execution(plan)
    return {
        "plan": {
            "status": plan.status,
            "lock_version": plan.lock_version,
            "grant": _amounts(plan.grant),
            "source": plan.source,
            "goal": plan.goal,
            "spent": _amounts(execution["spent"]),
            "rate": str(execution["rate"]) if execution["rate"] is not None else None,
            "lines": [
                {
                    "id": r["line"].pk,
                    "number": r["line"].number,
                    "category": r["line"].category,
                    "purpose": r["line"].purpose,
                    "explanation": r["line"].explanation,
                    "unit_cost": _amounts(r["line"].unit_cost),
                    "quantity": _amounts(r["line"].quantity),
                    "unit": r["line"].unit,
                    "amount": _amounts(r["line"].amount),
                    "spent": _amounts(r["spent"]),
                    "rate": str(r["rate"]) if r["rate"] is not None else None,
                }
                for r in execution["lines"]
            ],
            "decisions": [
                {
                    "approve": d.approve,
                    "text": d.text,
                    "organisation": d.organisation.name,
                    "signed_on": d.signed_on,
                    "adjustment": d.adjustment_id,
                }
                for d in plan.decisions.select_related("organisation")
            ],
            "adjustments": [
                {"id": a.pk, "status": a.status, "reason": a.reason, "changes": a.changes}
                for a in plan.adjustments.all()
            ],
        }
    }


class ProjectScoped:
    """An API view over one project in the caller's scope (404 outside it), optionally needing a
    permission on that project (403); the project API's and the apps' above it."""

    permission_classes = [HasRulePermission]
    required_permission = "projects.view_project"

    def project(self, pk, permission: str | None = None):
        project = selectors.get_visible_project(self.request.user, pk=pk)
        if permission and not self.request.user.has_perm(permission, project):
            raise PermissionDenied("您没有执行此操作的权限。")
        return project


class ProjectListView(ProjectScoped, ListAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return selectors.filter_projects(
            selectors.with_flags(selectors.visible_projects(self.request.user)), self.request.query_params
        ).order_by("-approved_at", "pk")


class ProjectDetailView(ProjectScoped, RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_object(self):
        return self.project(self.kwargs["pk"])


class PlanView(ProjectScoped, APIView):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        return Response(_plan_data(self.project(pk)))

    @extend_schema(request=PlanWriteSerializer, responses={200: OBJECT})
    def put(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(PlanWriteSerializer, request)
        plans.save_plan(
            actor=request.user,
            project=project,
            grant=data["grant"],
            source=data["source"],
            goal=data["goal"],
            rows=[dict(row) for row in data["lines"]],
            expected_version=data["lock_version"],
        )
        return Response(_plan_data(project) | {"refusals": plans.plan_refusals(project.spending_plan)})


class PlanSubmitView(ProjectScoped, APIView):
    @extend_schema(request=VersionSerializer, responses={200: OBJECT})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        version = body(VersionSerializer, request)["lock_version"]
        plan = money.plan_of(project)
        if plan is None:
            return Response({"detail": "项目尚未编制用款方案。"}, status=status.HTTP_400_BAD_REQUEST)
        plans.submit_plan(actor=request.user, plan=plan, expected_version=version)
        return Response(_plan_data(project))


class AdjustmentView(ProjectScoped, APIView):
    @extend_schema(request=AdjustmentWriteSerializer, responses={201: OBJECT})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(AdjustmentWriteSerializer, request)
        plan = money.plan_of(project)
        if plan is None or not all(parse_id(k) is not None for k in data["amounts"]):
            return Response({"detail": "请按预算项目 id 填写调整后金额。"}, status=status.HTTP_400_BAD_REQUEST)
        adjustment = plans.request_adjustment(
            actor=request.user, plan=plan, amounts=data["amounts"], reason=data["reason"]
        )
        return Response(
            {"id": adjustment.pk, "status": adjustment.status, "changes": adjustment.changes},
            status=status.HTTP_201_CREATED,
        )


class ExpenditureView(ProjectScoped, APIView):
    @extend_schema(responses={200: ExpenditureSerializer(many=True)})
    def get(self, request, pk):
        project = self.project(pk)
        rows = Expenditure.objects.filter(line__plan__project=project).order_by("spent_on", "pk")
        return Response([{**ExpenditureSerializer(e).data, "amount": _amounts(e.amount)} for e in rows])

    @extend_schema(request=ExpenditureSerializer, responses={201: ExpenditureSerializer})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(ExpenditureSerializer, request)
        plan = money.plan_of(project)
        line = plan.lines.filter(pk=data["line_id"]).first() if plan else None
        if line is None:
            return Response(
                {"detail": "“预算项目”（line）：不属于本项目的用款方案。", "errors": {"line": ["预算项目不存在。"]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        e = record_expenditure(
            actor=request.user, line=line, spent_on=data["spent_on"], amount=data["amount"], payee=data["payee"]
        )
        return Response({**ExpenditureSerializer(e).data, "amount": _amounts(e.amount)}, status=status.HTTP_201_CREATED)


class ScheduleView(ProjectScoped, APIView):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        project = self.project(pk)
        return Response(
            {
                "stages": list(project.stages.values("id", "number", "name", "starts_on", "ends_on", "work")),
                "milestones": list(
                    project.milestones.values("id", "stage", "title", "owner", "due_on", "status", "done_on")
                ),
            }
        )


class TaskListView(ProjectScoped, APIView):
    @extend_schema(responses={200: OBJECTS})
    def get(self, request, pk):
        project = self.project(pk)
        return Response(
            list(
                project.tasks.values(
                    "id",
                    "number",
                    "line",
                    "direction",
                    "name",
                    "requirement",
                    "nature",
                    "method",
                    "standard",
                    "workload",
                    "deadline",
                    "note",
                    "case_type",
                    "implementer",
                    "done_on",
                    "evidence",
                )
            )
        )


class IndicatorListView(ProjectScoped, APIView):
    @extend_schema(responses={200: OBJECTS})
    def get(self, request, pk):
        table = indicator_reads.table_of(self.project(pk))
        return Response(
            [
                {
                    "id": r["indicator"].pk,
                    "level1": r["indicator"].level1,
                    "level2": r["indicator"].level2,
                    "name": r["indicator"].name,
                    "kind": r["indicator"].kind,
                    "target": r["target"],
                    "actual": r["actual"],
                    "met": r["met"],
                }
                for r in indicator_reads.indicator_rows(table)
            ]
        )


class IndicatorActualView(ProjectScoped, APIView):
    @extend_schema(request=ActualSerializer, responses={200: OBJECT})
    def post(self, request, pk, indicator_pk):
        project = self.project(pk, "projects.edit_project")
        table = indicator_reads.table_of(project)
        indicator = table.indicators.filter(pk=indicator_pk).first() if table else None
        if indicator is None:
            return Response({"detail": "指标不存在。"}, status=status.HTTP_404_NOT_FOUND)
        indicator = indicator_services.record_actual(
            actor=request.user, indicator=indicator, raw=body(ActualSerializer, request)["actual"]
        )
        return Response(
            {
                "id": indicator.pk,
                "actual": indicator_reads.actual_text(indicator),
                "met": indicator_reads.verdict(indicator),
            }
        )


class ReportListView(ProjectScoped, APIView):
    @extend_schema(responses={200: OBJECTS})
    def get(self, request, pk):
        project = self.project(pk)
        return Response(
            list(
                project.progress_reports.values(
                    "id",
                    "title",
                    "period_start",
                    "period_end",
                    "due_on",
                    "status",
                    "text",
                    "figures",
                    "comment",
                    "waiver_reason",
                    "filed_at",
                )
            )
        )


class ReportFileView(ProjectScoped, APIView):
    @extend_schema(request=ReportFileSerializer, responses={200: OBJECT})
    def post(self, request, pk, report_pk):
        project = self.project(pk, "projects.edit_project")
        report = ProgressReport.objects.filter(project=project, pk=report_pk).first()
        if report is None:
            return Response({"detail": "进展报告不存在。"}, status=status.HTTP_404_NOT_FOUND)
        report = report_services.file_report(
            actor=request.user, report=report, text=body(ReportFileSerializer, request)["text"]
        )
        return Response({"id": report.pk, "status": report.status, "figures": report.figures})

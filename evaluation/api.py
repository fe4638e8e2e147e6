"""REST API of the evaluation cycle: rounds and their entries in scope, the self-evaluation (draft with
its lock version, 409 when stale; submission), the levels' opinions, an expert's own sheet, the
organiser's decisions, rectifications, extensions, acceptance applications, monthly pilot reports and
showcase items — through the same scope selectors and services as the pages. A project never reads
who scored it; bodies go through serializers (400 with the field named in Chinese)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from evaluation import (
    extensions,
    monthly,
    outcomes,
    panel,
    scope,
    selfeval,
    showcase,
)
from evaluation.models import MONTHLY_FIGURES, Extension, Rectification, ShowcaseStatus
from portal.api.permissions import HasRulePermission
from portal.api.schema import OBJECT, OBJECTS
from portal.api.validation import body
from portal.projects.api import ProjectScoped
from portal.projects.selectors import get_visible_project
from schools.plan_api import LockSerializer  # the same {lock_version} body


def _act(action, ok):
    """Runs a service call and answers with `ok` of its result; a refusal, a conflict or a service's own
    permission check rises to the API's exception handler (400, 409, 403)."""
    return ok(action())


def _text(value):
    """Scores as exact decimal text (as the other APIs give amounts), never a float."""
    return None if value is None else str(value)


def _round(r, *, manager: bool) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "kind": r.kind,
        "kind_text": r.get_kind_display(),
        "call": r.call_id,
        "organisation": r.organisation.name,
        "selection": r.selection,
        "sample_seed": r.sample_seed,
        "self_due_at": r.self_due_at,
        "review_due_at": r.review_due_at,
        "status": r.status,
        "published_at": r.published_at,
        "outcomes": list(r.outcomes),
        "grades": r.grades,
        "standards": r.standards,
        "manager": manager,
    }


def _entry(e, user, *, detail: bool = False) -> dict:
    show_outcome = scope.sees_outcome(user, e)
    out = {
        "id": e.pk,
        "round": e.round_id,
        "project": e.project_id,
        "project_title": e.project.title,
        "organisation": e.project.organisation.name,
        "attempt": e.attempt,
        "status": e.status,
        "status_text": e.get_status_display(),
        "stage": e.stage,
        "outcome": e.outcome if show_outcome else None,
        "grade": e.grade if show_outcome else None,
    }
    if detail:
        version = e.versions.first()
        runs = user.has_perm("projects.edit_project", e.project)
        out.update(
            {
                "opinions": e.opinions,
                "version": None
                if version is None
                else {
                    "number": version.number,
                    "sha256": version.sha256,
                    "submitted_at": version.submitted_at,
                    "content": version.content,
                },
                "panel_opinion": e.panel_opinion if show_outcome and e.opinion_signed_at else None,
                "decisions": [
                    {
                        "number": d.number,
                        "outcome": d.outcome,
                        "grade": d.grade,
                        "reasons": d.reasons,
                        "change_reason": d.change_reason,
                        "rectify_by": d.rectify_by,
                        "rectify_items": d.rectify_items,
                        "decided_at": d.decided_at,
                    }
                    for d in e.decisions.all()
                ]
                if show_outcome
                else [],
                "rectifications": [
                    {"id": r.pk, "due_on": r.due_on, "status": r.status, "report": r.report}
                    for r in e.rectifications.all()
                ]
                if show_outcome
                else [],
            }
        )
        if runs:
            out.update(
                {"lock_version": e.lock_version, "draft": {k: v for k, v in e.draft.items() if not k.startswith("_")}}
            )
        if scope.manages(user, e.round) or scope.leads(user, e.round):
            result = scope.entry_result(user, e)
            out["scores"] = (
                None
                if result is None
                else {
                    "experts": [{"expert": str(x), "total": _text(t)} for x, t in result.totals.items()],
                    "mean": _text(result.mean),
                    "trimmed_mean": _text(result.trimmed),
                    "spread": _text(result.spread),
                    "rank": result.rank,
                    "pending": result.pending,
                }
            )
    return out


class _Evaluation(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "evaluation.view_rounds"

    def entry(self, pk):
        return scope.get_visible_entry(self.request.user, pk=pk)


class RoundListView(_Evaluation):
    @extend_schema(operation_id="v1_evaluation_rounds_list", responses={200: OBJECTS})
    def get(self, request):
        rounds = scope.visible_rounds(request.user).order_by("-created_at", "-pk")[:200]
        return Response([_round(r, manager=scope.manages(request.user, r)) for r in rounds])


class RoundDetailView(_Evaluation):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        r = scope.get_visible_round(request.user, pk=pk)
        entries = scope.visible_entries(request.user).filter(round=r).order_by("pk")
        return Response(
            {
                **_round(r, manager=scope.manages(request.user, r)),
                "criteria": [
                    {
                        "number": c.number,
                        "title": c.title,
                        "guidance": c.guidance,
                        "max_points": c.max_points,
                        "weight": c.weight,
                    }
                    for c in r.criteria.all()
                ],
                "entries": [_entry(e, request.user) for e in entries],
            }
        )


class ApplySerializer(serializers.Serializer):
    project = serializers.IntegerField(label="项目", min_value=1)


class RoundApplyView(_Evaluation):
    @extend_schema(request=ApplySerializer, responses={201: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        r = scope.get_visible_round(request.user, pk=pk)
        project = get_visible_project(request.user, pk=body(ApplySerializer, request)["project"])
        return _act(
            lambda: outcomes.apply_for_acceptance(actor=request.user, round_=r, project=project),
            lambda e: Response(_entry(e, request.user), status=status.HTTP_201_CREATED),
        )


class DraftSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0)
    data = serializers.DictField(
        label="填写内容",
        child=serializers.CharField(max_length=10000, allow_blank=True),
        help_text="各部分文字（progress、indicators、budget、tasks、cases、problems）与自评得分 self_<序号>。",
    )


class EntryView(_Evaluation):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        return Response(_entry(self.entry(pk), request.user, detail=True))

    @extend_schema(request=DraftSerializer, responses={200: OBJECT, 400: OBJECT, 409: OBJECT})
    def put(self, request, pk):
        entry = self.entry(pk)
        data = body(DraftSerializer, request)
        return _act(
            lambda: selfeval.save_draft(
                actor=request.user, entry=entry, raw=data["data"], expected_version=data["lock_version"]
            ),
            lambda e: Response(_entry(e, request.user, detail=True)),
        )


class EntrySubmitView(_Evaluation):
    @extend_schema(request=LockSerializer, responses={201: OBJECT, 400: OBJECT, 409: OBJECT})
    def post(self, request, pk):
        entry = self.entry(pk)
        expected = body(LockSerializer, request)["lock_version"]
        return _act(
            lambda: selfeval.submit(actor=request.user, entry=entry, expected_version=expected),
            lambda v: Response({"number": v.number, "sha256": v.sha256}, status=status.HTTP_201_CREATED),
        )


class OpinionSerializer(serializers.Serializer):
    agree = serializers.BooleanField(label="同意报送")
    text = serializers.CharField(label="意见", max_length=selfeval.OPINION_LIMIT)


class EntryOpinionView(_Evaluation):
    @extend_schema(request=OpinionSerializer, responses={200: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        entry = self.entry(pk)
        data = body(OpinionSerializer, request)
        return _act(
            lambda: selfeval.give_opinion(actor=request.user, entry=entry, agree=data["agree"], text=data["text"]),
            lambda e: Response(_entry(e, request.user, detail=True)),
        )


class SheetSerializer(serializers.Serializer):
    points = serializers.DictField(label="各项得分", child=serializers.CharField(max_length=10, allow_blank=True))
    comments = serializers.DictField(
        label="各项意见", child=serializers.CharField(max_length=2000, allow_blank=True), required=False, default=dict
    )
    comment = serializers.CharField(label="评审意见", max_length=5000, allow_blank=True, required=False, default="")
    submit = serializers.BooleanField(label="提交", required=False, default=False)


def _sheet(s) -> dict:
    return {
        "id": s.pk,
        "entry": s.entry_id,
        "status": s.status,
        "points": s.points,
        "comment": s.comment,
        "total": _text(s.total),
        "submitted_at": s.submitted_at,
    }


class _Expert(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "evaluation.score"


class EntryScoreView(_Expert):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        entry = scope.get_visible_entry(request.user, pk=pk)
        return Response(_sheet(scope.own_sheet(request.user, entry=entry)))

    @extend_schema(request=SheetSerializer, responses={200: OBJECT, 400: OBJECT})
    def put(self, request, pk):
        entry = scope.get_visible_entry(request.user, pk=pk)
        sheet = scope.own_sheet(request.user, entry=entry)
        data = body(SheetSerializer, request)
        return _act(
            lambda: panel.save_sheet(
                actor=request.user,
                sheet=sheet,
                points=data["points"],
                comments=data["comments"],
                comment=data["comment"],
                submit=data["submit"],
            ),
            lambda s: Response(_sheet(s)),
        )


class SignSerializer(serializers.Serializer):
    text = serializers.CharField(label="专家组意见", max_length=panel.OPINION_LIMIT)


class EntrySignView(_Expert):
    """The panel leader signs the panel's opinion on one project."""

    @extend_schema(request=SignSerializer, responses={200: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        entry = scope.get_visible_entry(request.user, pk=pk)
        text = body(SignSerializer, request)["text"]
        return _act(
            lambda: panel.sign_opinion(actor=request.user, entry=entry, text=text),
            lambda e: Response(_entry(e, request.user)),
        )


class OutcomeDecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField(label="结论", max_length=10)
    grade = serializers.CharField(label="等级", max_length=4, allow_blank=True, required=False, default="")
    reasons = serializers.CharField(
        label="理由", max_length=outcomes.REASONS_LIMIT, allow_blank=True, required=False, default=""
    )
    rectify_by = serializers.DateField(label="整改期限", required=False, allow_null=True, default=None)
    rectify_items = serializers.ListField(
        label="整改事项", child=serializers.CharField(max_length=300), required=False, default=list, max_length=20
    )
    change_reason = serializers.CharField(
        label="变更理由", max_length=1000, allow_blank=True, required=False, default=""
    )


class EntryDecisionView(_Evaluation):
    required_permission = "evaluation.manage_rounds"

    @extend_schema(request=OutcomeDecisionSerializer, responses={201: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        entry = self.entry(pk)
        data = body(OutcomeDecisionSerializer, request)
        return _act(
            lambda: outcomes.decide(actor=request.user, entry=entry, **data),
            lambda d: Response(
                {"number": d.number, "outcome": d.outcome, "grade": d.grade}, status=status.HTTP_201_CREATED
            ),
        )


class RectificationSerializer(serializers.Serializer):
    report = serializers.CharField(label="整改报告", max_length=3000, required=False, allow_blank=True, default="")
    passed = serializers.BooleanField(
        label="复核通过",
        required=False,
        allow_null=True,
        default=None,
        help_text="组织单位复核时填写；项目提交整改报告时省略。",
    )
    grade = serializers.CharField(label="等级", max_length=4, allow_blank=True, required=False, default="")
    reasons = serializers.CharField(label="理由", max_length=1000, allow_blank=True, required=False, default="")

    def validate(self, attrs):
        if attrs["passed"] is None and not attrs["report"].strip():
            raise serializers.ValidationError({"report": ["请填写整改报告（复核时请给出 passed）。"]})
        return attrs


class RectificationView(_Evaluation):
    @extend_schema(request=RectificationSerializer, responses={200: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        rectification = Rectification.objects.filter(pk=pk).first()
        if rectification is None:
            raise NotFound("整改不存在。")
        self.entry(rectification.entry_id)
        data = body(RectificationSerializer, request)
        if data["passed"] is None:
            action = lambda: outcomes.file_rectification(
                actor=request.user,
                rectification=rectification,  # noqa: E731
                report=data["report"],
            )
        else:
            action = lambda: outcomes.review_rectification(  # noqa: E731
                actor=request.user,
                rectification=rectification,
                passed=data["passed"],
                grade=data["grade"],
                reasons=data["reasons"],
            )
        return _act(action, lambda _: Response({"id": pk, "status": Rectification.objects.get(pk=pk).status}))


class StageSerializer(serializers.Serializer):
    name = serializers.CharField(label="阶段", max_length=100, allow_blank=True)
    starts_on = serializers.CharField(label="开始日期", max_length=10, allow_blank=True)
    ends_on = serializers.CharField(label="结束日期", max_length=10, allow_blank=True)
    work = serializers.CharField(label="工作内容", max_length=1000, allow_blank=True, required=False, default="")


class ExtensionSerializer(serializers.Serializer):
    years = serializers.IntegerField(label="延期年限", min_value=1, max_value=10)
    reasons = serializers.CharField(label="延期理由", max_length=extensions.REASONS_LIMIT)
    schedule = StageSerializer(label="调整后的实施安排", many=True)


def _extension(x) -> dict:
    return {
        "id": x.pk,
        "years": x.years,
        "reasons": x.reasons,
        "schedule": x.schedule,
        "status": x.status,
        "status_text": x.get_status_display(),
        "recommendation": x.recommendation,
        "decision_note": x.decision_note,
        "requested_at": x.requested_at,
        "decided_at": x.decided_at,
    }


class ExtensionListView(ProjectScoped, APIView):
    @extend_schema(operation_id="v1_project_extensions_list", responses={200: OBJECTS})
    def get(self, request, pk):
        project = self.project(pk)
        return Response([_extension(x) for x in project.extensions.all()])

    @extend_schema(request=ExtensionSerializer, responses={201: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(ExtensionSerializer, request)
        return _act(
            lambda: extensions.request(
                actor=request.user,
                project=project,
                years=data["years"],
                reasons=data["reasons"],
                schedule=data["schedule"],
            ),
            lambda x: Response(_extension(x), status=status.HTTP_201_CREATED),
        )


class ExtensionActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(label="操作", choices=["recommend", "decline", "approve", "refuse"])
    text = serializers.CharField(label="意见", max_length=1000, allow_blank=True, required=False, default="")


class ExtensionActionView(ProjectScoped, APIView):
    @extend_schema(
        operation_id="v1_project_extension_action",
        request=ExtensionActionSerializer,
        responses={200: OBJECT, 400: OBJECT},
    )
    def post(self, request, pk, extension_pk):
        project = self.project(pk)
        extension = Extension.objects.filter(project=project, pk=extension_pk).first()
        if extension is None:
            raise NotFound("延期申请不存在。")
        data = body(ExtensionActionSerializer, request)
        if data["action"] in ("recommend", "decline"):
            action = lambda: extensions.recommend(
                actor=request.user,
                extension=extension,  # noqa: E731
                agree=data["action"] == "recommend",
                text=data["text"],
            )
        else:
            action = lambda: extensions.decide(
                actor=request.user,
                extension=extension,  # noqa: E731
                approve=data["action"] == "approve",
                note=data["text"],
            )
        return _act(action, lambda x: Response(_extension(x)))


class MonthlySerializer(serializers.Serializer):
    month = serializers.CharField(label="月份", max_length=10, help_text="如 2026-09")
    active_teachers = serializers.IntegerField(label="活跃教师数", min_value=0, max_value=monthly.FIGURE_MAX)
    active_students = serializers.IntegerField(label="活跃学生数", min_value=0, max_value=monthly.FIGURE_MAX)
    active_parents = serializers.IntegerField(label="活跃家长数", min_value=0, max_value=monthly.FIGURE_MAX)
    lessons = serializers.IntegerField(label="使用平台资源授课节数", min_value=0, max_value=monthly.FIGURE_MAX)
    activities = serializers.IntegerField(label="开展活动次数", min_value=0, max_value=monthly.FIGURE_MAX)
    resources_shared = serializers.IntegerField(label="共享资源数", min_value=0, max_value=monthly.FIGURE_MAX)
    problems = serializers.CharField(label="存在问题", max_length=1000, allow_blank=True, required=False, default="")


def _monthly(r) -> dict:
    return {
        "month": f"{r.month:%Y-%m}",
        **{f: getattr(r, f) for f, _ in MONTHLY_FIGURES},
        "problems": r.problems,
        "filed_at": r.filed_at,
    }


class MonthlyListView(ProjectScoped, APIView):
    @extend_schema(operation_id="v1_project_monthly_reports_list", responses={200: OBJECTS})
    def get(self, request, pk):
        project = self.project(pk)
        return Response([_monthly(r) for r in project.monthly_reports.all()])

    @extend_schema(request=MonthlySerializer, responses={201: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(MonthlySerializer, request)
        return _act(
            lambda: monthly.file_month(
                actor=request.user, project=project, month=data["month"], data={k: str(v) for k, v in data.items()}
            ),
            lambda r: Response(_monthly(r), status=status.HTTP_201_CREATED),
        )


class ShowcaseSerializer(serializers.Serializer):
    title = serializers.CharField(label="标题", max_length=100)
    category = serializers.CharField(label="类别", max_length=10)
    stage = serializers.CharField(label="学段", max_length=10)
    subject = serializers.CharField(label="学科", max_length=20)
    summary = serializers.CharField(label="简介", max_length=showcase.SUMMARY_LIMIT)
    video_url = serializers.CharField(label="视频链接", max_length=200, allow_blank=True, required=False, default="")


def _item(i) -> dict:
    return {
        "id": i.pk,
        "project": i.project_id,
        "project_title": i.project.title,
        "organisation": i.project.organisation.name,
        "title": i.title,
        "category": i.category,
        "stage": i.stage,
        "subject": i.subject,
        "summary": i.summary,
        "video_url": i.video_url,
        "status": i.status,
        "accepted_project": i.project.status == "accepted",
    }


class ShowcaseListView(ProjectScoped, APIView):
    @extend_schema(operation_id="v1_project_showcase_list", responses={200: OBJECTS})
    def get(self, request, pk):
        project = self.project(pk)
        return Response([_item(i) for i in project.showcase_items.select_related("project__organisation")])

    @extend_schema(request=ShowcaseSerializer, responses={201: OBJECT, 400: OBJECT})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(ShowcaseSerializer, request)
        return _act(
            lambda: showcase.submit(actor=request.user, project=project, data=data),
            lambda i: Response(_item(i), status=status.HTTP_201_CREATED),
        )


class PublicShowcaseView(APIView):
    """The selected items, as on the public page (no personal data)."""

    permission_classes = [HasRulePermission]

    @extend_schema(operation_id="v1_showcase_list", responses={200: OBJECTS})
    def get(self, request):
        return Response(
            [_item(i) for i in showcase.public_items(request.query_params)[:200] if i.status == ShowcaseStatus.SELECTED]
        )

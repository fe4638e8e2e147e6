"""REST API of a pilot school's 校本研修与考核方案: the plan with its 科组, teachers and calendar (PUT
saves the text and rule, 409 when stale), both sheets scored with the rankings, score entry (400 with
the item and field named; an item twice in one body is refused), and the ability-point list — in
the caller's scope, through the pages' selectors and services. Teachers' contacts are masked as on
the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.permissions import HasRulePermission
from portal.api.schema import OBJECT, OBJECTS
from portal.api.validation import BodyRefused, body
from portal.orgs.choices import OrgKind
from portal.projects.api import ProjectScoped
from portal.reports.masking import Masker
from schools import points as ability_points
from schools import selectors, services
from schools.models import CapRule, Sheet
from schools.scoring import AWARDS, show


class TrainingPlanWriteSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(label="版本号", min_value=0)
    goals = serializers.CharField(label="目标与任务", max_length=3000)
    tasks = serializers.CharField(label="主要任务", max_length=5000)
    cap_rule = serializers.ChoiceField(label="加分与分值", choices=CapRule.choices)


class ScoreItemWriteSerializer(serializers.Serializer):
    item = serializers.IntegerField(label="序号", min_value=1, max_value=99)
    self_score = serializers.CharField(label="自评", max_length=10, required=False, allow_blank=True, allow_null=True)
    score = serializers.CharField(label="得分", max_length=10, required=False, allow_blank=True, allow_null=True)
    missing = serializers.IntegerField(label="缺少人数或课时", min_value=0, max_value=999, required=False, default=0)
    extras = serializers.IntegerField(label="增加数", min_value=0, max_value=999, required=False, default=0)
    awards = serializers.ListField(
        label="获奖级别",
        child=serializers.ChoiceField(choices=list(AWARDS)),
        max_length=services.MAX_AWARDS,
        required=False,
        default=list,
    )


class TrainingScoresWriteSerializer(serializers.Serializer):
    sheet = serializers.ChoiceField(label="考核表", choices=Sheet.choices)
    subject = serializers.IntegerField(label="科组或教师 id", min_value=1)
    items = ScoreItemWriteSerializer(label="评分项", many=True, allow_empty=False, max_length=20)

    def validate_items(self, items):
        numbers = [row["item"] for row in items]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise serializers.ValidationError(f"第{'、'.join(map(str, twice))}项在同一请求中出现了两次：每项只评一次。")
        return items


class _School(ProjectScoped, APIView):
    """A project in scope, as the project API finds it, that is a school's."""

    required_permission = "schools.view_training"

    def project(self, pk, permission: str | None = None):
        project = super().project(pk, permission)
        if project.organisation.kind != OrgKind.SCHOOL:
            raise NotFound("校本研修与考核方案只属于实验校项目。")
        return project


def _plan_data(request, project) -> dict:
    plan = selectors.plan_for_page(project)
    masker = Masker(request.user)
    whole = request.user.has_perm("projects.edit_project", project) or not masker.on
    names = ability_points.available(project.organisation)
    return {
        "id": plan.pk,
        "project": project.pk,
        "lock_version": plan.lock_version,
        "goals": plan.goals,
        "tasks": plan.tasks,
        "cap_rule": plan.cap_rule,
        "cap_rule_text": plan.get_cap_rule_display(),
        "groups": [
            {
                "id": g.pk,
                "name": g.name,
                "responsible": g.responsible,
                "points": [{"code": c, "name": names.get(c, c)} for c in g.points],
            }
            for g in plan.groups.all()
        ],
        "teachers": [
            {
                "id": t.pk,
                "name": t.name,
                "group": t.group_id,
                "phone": t.phone if whole else masker.phone(t.phone),
                "email": t.email if whole else masker.email(t.email),
            }
            for t in plan.teachers.all()
        ],
        "sessions": [
            {
                "id": s.pk,
                "number": s.number,
                "when": s.when,
                "content": s.content,
                "host": s.host,
                "participants": s.participants,
                "form": s.form,
                "place": s.place,
            }
            for s in plan.sessions.all()
        ],
    }


class TrainingPlanView(_School):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        return Response(_plan_data(request, self.project(pk)))

    @extend_schema(request=TrainingPlanWriteSerializer, responses={200: OBJECT, 409: OBJECT})
    def put(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(TrainingPlanWriteSerializer, request)
        services.save_plan(actor=request.user, project=project, data=data, expected_version=data["lock_version"])
        return Response(_plan_data(request, project))


def _scored(scored) -> dict:
    return {
        "id": scored.subject.pk,
        "name": scored.subject.name,
        "rank": scored.rank,
        "self_total": show(scored.self_total),
        "total": show(scored.total),
        "complete": scored.complete,
        "items": [
            {
                "item": line.item.number,
                "max": show(line.item.max),
                "self_score": None if line.row is None or line.row.self_score is None else show(line.row.self_score),
                "score": None if line.row is None or line.row.score is None else show(line.row.score),
                "missing": line.row.missing if line.row else 0,
                "extras": line.row.extras if line.row else 0,
                "awards": list(line.row.awards) if line.row else [],
                "self_total": show(line.self_result.total),
                "total": show(line.result.total),
            }
            for line in scored.lines
        ],
    }


class TrainingResultsView(_School):
    @extend_schema(responses={200: OBJECT})
    def get(self, request, pk):
        plan = selectors.plan_for_page(self.project(pk))
        results = selectors.results(plan)
        return Response(
            {
                "cap_rule": plan.cap_rule,
                "groups": [_scored(s) for s in results[Sheet.GROUP]],
                "teachers": [_scored(s) for s in results[Sheet.TEACHER]],
            }
        )


class TrainingScoresView(_School):
    @extend_schema(request=TrainingScoresWriteSerializer, responses={200: OBJECT})
    def post(self, request, pk):
        project = self.project(pk, "projects.edit_project")
        data = body(TrainingScoresWriteSerializer, request)
        plan = services.plan_of(project)
        subjects = plan.groups if data["sheet"] == Sheet.GROUP else plan.teachers
        subject = subjects.filter(pk=data["subject"]).first()
        if subject is None:
            raise BodyRefused("本方案中没有这个科组或教师。", {"subject": ["本方案中没有这个科组或教师。"]})
        services.record_scores(
            actor=request.user, plan=plan, subject=subject, rows={row["item"]: row for row in data["items"]}
        )
        return Response(_scored(selectors.scored_subject(plan, subject)))


class AbilityPointListView(APIView):
    permission_classes = [HasRulePermission]

    @extend_schema(responses={200: OBJECTS})
    def get(self, request):
        org = request.user.organisation
        national = dict(ability_points.national())
        available = ability_points.available(org) if org else national
        return Response(
            [{"code": code, "name": name, "national": code in national} for code, name in available.items()]
        )

"""REST API of the review chain: a level's decision, opinions and the timeline, the lists (ranking,
notice, sending) and their objections, all within the caller's scope and through the same services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.filters import BACKENDS, ListFilter
from portal.api.permissions import HasRulePermission
from portal.api.validation import body
from portal.review import selectors
from portal.review.models import (
    ListEntry,
    Objection,
    ObjectionOutcome,
    Opinion,
    RecommendationList,
)
from portal.review.services import lists as list_services
from portal.review.services import objections as objection_services
from portal.review.services.decisions import Decision, decide

HIDDEN_OBJECTOR = "（仅处理单位可见）"


class OpinionSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    version = serializers.IntegerField(source="version.number")
    signer_name = serializers.SerializerMethodField()

    def get_signer_name(self, opinion) -> str:
        from portal.review.confidentiality import signer_for

        return signer_for(opinion, self.context["request"].user)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "level",
            "organisation",
            "outcome",
            "text",
            "reasons",
            "signer_name",
            "signed_on",
            "seal",
            "version",
            "created_at",
        ]


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        label="审核结果", choices=["recommend", "return", "not_recommend", "approve", "reject"]
    )
    text = serializers.CharField(label="意见", allow_blank=True, max_length=5000)
    reasons = serializers.CharField(label="理由", required=False, allow_blank=True, default="", max_length=5000)
    signer_name = serializers.CharField(label="签字人", required=False, allow_blank=True, default="", max_length=50)
    signed_on = serializers.DateField(label="签字日期", required=False, allow_null=True, default=None)


class RankingSerializer(serializers.Serializer):
    order = serializers.ListField(label="排序", child=serializers.IntegerField(min_value=1), max_length=10000)


class NoticeSerializer(serializers.Serializer):
    notice_starts = serializers.DateTimeField(label="公示开始时间")
    notice_ends = serializers.DateTimeField(label="公示结束时间")
    notice_title = serializers.CharField(label="公示标题", required=False, allow_blank=True, default="", max_length=200)
    notice_text = serializers.CharField(
        label="公示说明", required=False, allow_blank=True, default="", max_length=10000
    )


class HandlingSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(label="处理结论", choices=ObjectionOutcome.choices)
    handling = serializers.CharField(label="处理结果", allow_blank=True, max_length=5000)
    remove = serializers.BooleanField(label="将申请移出名单", required=False, default=False)


class EntrySerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    applicant = serializers.CharField(source="application.applicant.name")

    class Meta:
        model = ListEntry
        fields = ["id", "application", "applicant", "target", "rank"]


class ListSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code")
    entries = serializers.SerializerMethodField()

    class Meta:
        model = RecommendationList
        fields = [
            "id",
            "call",
            "organisation",
            "level",
            "status",
            "notice_title",
            "notice_starts",
            "notice_ends",
            "sent_at",
            "entries",
        ]

    def get_entries(self, lst) -> list[dict]:
        return EntrySerializer(selectors.entries_of(lst), many=True).data


class ObjectionSerializer(serializers.ModelSerializer):
    """The objector's name and contact go only to the level that handles the objection."""

    name = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "application",
            "name",
            "contact",
            "text",
            "file_name",
            "created_at",
            "status",
            "outcome",
            "handling",
            "removed",
            "handled_at",
        ]

    def _handler(self, objection) -> bool:
        return selectors.own_list(self.context["request"].user, objection.list)

    def get_name(self, objection) -> str:
        return objection.name if self._handler(objection) else HIDDEN_OBJECTOR

    def get_contact(self, objection) -> str:
        return objection.contact if self._handler(objection) else HIDDEN_OBJECTOR


class DecisionView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "review.review"

    @extend_schema(request=DecisionSerializer, responses={201: OpinionSerializer})
    def post(self, request, pk):
        application = selectors.get_reviewable(request.user, pk=pk)
        data = body(DecisionSerializer, request)
        opinion = decide(actor=request.user, application=application, decision=Decision(**data))
        return Response(OpinionSerializer(opinion, context={"request": request}).data, status=status.HTTP_201_CREATED)


class OpinionListView(generics.ListAPIView):
    serializer_class = OpinionSerializer
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_application"
    pagination_class = None

    def get_queryset(self):
        return selectors.opinions_of(selectors.get_reviewable(self.request.user, pk=self.kwargs["pk"]))


class TimelineView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "programmes.view_application"

    @extend_schema(
        responses={
            200: inline_serializer(
                "TimelineItem",
                {
                    "at": serializers.DateTimeField(),
                    "action": serializers.CharField(),
                    "code": serializers.CharField(),
                    "who": serializers.CharField(),
                    "org": serializers.CharField(),
                    "level": serializers.CharField(),
                    "opinion": serializers.CharField(),
                    "reasons": serializers.CharField(),
                },
                many=True,
            )
        }
    )
    def get(self, request, pk):
        return Response(selectors.timeline(selectors.get_reviewable(request.user, pk=pk), request.user))


class ListListView(generics.ListAPIView):
    serializer_class = ListSerializer
    permission_classes = [HasRulePermission]
    required_permission = "review.view_lists"
    filterset_class = ListFilter
    filter_backends = BACKENDS

    def get_queryset(self):
        return selectors.visible_lists(self.request.user).order_by("-pk")


class ListDetailView(generics.RetrieveAPIView):
    serializer_class = ListSerializer
    permission_classes = [HasRulePermission]
    required_permission = "review.view_lists"

    def get_queryset(self):
        return selectors.visible_lists(self.request.user)


class ListRankView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "review.review"

    @extend_schema(request=RankingSerializer, responses={200: ListSerializer})
    def post(self, request, pk):
        lst = selectors.get_visible_list(request.user, pk=pk)
        order = body(RankingSerializer, request)["order"]
        list_services.rank(actor=request.user, lst=lst, order=order)
        return Response(ListSerializer(selectors.get_visible_list(request.user, pk=pk)).data)


class ListNoticeView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "review.review"

    @extend_schema(request=NoticeSerializer, responses={200: ListSerializer})
    def post(self, request, pk):
        lst = selectors.get_visible_list(request.user, pk=pk)
        data = body(NoticeSerializer, request)
        list_services.start_notice(
            actor=request.user,
            lst=lst,
            starts=data["notice_starts"],
            ends=data["notice_ends"],
            title=data["notice_title"],
            text=data["notice_text"],
        )
        return Response(ListSerializer(selectors.get_visible_list(request.user, pk=pk)).data)


class ListSendView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "review.review"

    @extend_schema(request=None, responses={200: ListSerializer})
    def post(self, request, pk):
        lst = selectors.get_visible_list(request.user, pk=pk)
        list_services.send(actor=request.user, lst=lst)
        return Response(ListSerializer(selectors.get_visible_list(request.user, pk=pk)).data)


class ObjectionListView(generics.ListAPIView):
    serializer_class = ObjectionSerializer
    permission_classes = [HasRulePermission]
    required_permission = "review.view_lists"
    pagination_class = None

    def get_queryset(self):
        return selectors.objections_of(selectors.get_visible_list(self.request.user, pk=self.kwargs["pk"]))


class ObjectionHandleView(APIView):
    permission_classes = [HasRulePermission]
    required_permission = "review.review"

    @extend_schema(request=HandlingSerializer, responses={200: ObjectionSerializer})
    def post(self, request, pk):
        objection = selectors.get_handleable_objection(request.user, pk=pk)
        data = body(HandlingSerializer, request)
        objection = objection_services.handle(actor=request.user, objection=objection, **data)
        return Response(ObjectionSerializer(objection, context={"request": request}).data)

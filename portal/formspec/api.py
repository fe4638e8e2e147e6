"""REST API of the forms' definitions: every published version (read by every signed-in user, as on the
pages), and one version whole — the same JSON as its file, so a client can render or check a form."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.validation import body
from portal.formspec import selectors
from portal.projects.api import OBJECT, OBJECTS


def _summary(item) -> dict:
    return {
        "key": item.key,
        "version": item.version,
        "title": item.title,
        "use": item.definition.get("use", "application"),
        "applicant": item.definition.get("applicant", ""),
        "fields": item.field_count,
        "sha256": item.sha256,
        "in_files": item.in_files,
        "owner": item.owner,
    }


class PublishSerializer(serializers.Serializer):
    definition = serializers.DictField(label="表单定义", help_text="与“下载定义”所得文件相同的 JSON 对象。")


class DefinitionListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_forms_list", responses={200: OBJECTS})
    def get(self, request):
        return Response([_summary(item) for item in selectors.versions(request.user)])

    @extend_schema(operation_id="v1_forms_publish", request=PublishSerializer, responses={201: OBJECT, 400: OBJECT})
    def post(self, request):
        """Publishes a definition as the next version of its key (the page's 发布表单定义)."""
        from portal.formspec import services

        definition = body(PublishSerializer, request)["definition"]
        try:
            schema = services.publish(actor=request.user, definition=definition)
        except PermissionError:
            raise PermissionDenied("只有开设申报批次的管理员可以发布表单定义。")
        return Response(
            _summary(selectors.get_version(request.user, schema.key, schema.version)), status=status.HTTP_201_CREATED
        )


class DefinitionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OBJECT})
    def get(self, request, key, number):
        item = selectors.get_version(request.user, key, number)
        return Response({**_summary(item), "definition": item.definition})

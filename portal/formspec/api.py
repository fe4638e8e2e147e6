"""REST API of the forms' definitions: every published version (read by every signed-in user, as on the
pages), and one version whole — the same JSON as its file, so a client can render or check a form."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.formspec import selectors
from portal.projects.api import OBJECT, OBJECTS


def _summary(item) -> dict:
    return {"key": item.key, "version": item.version, "title": item.title, "use": item.definition.get("use", "application"),
            "applicant": item.definition.get("applicant", ""), "fields": item.field_count, "sha256": item.sha256,
            "in_files": item.in_files}


class DefinitionListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_forms_list", responses={200: OBJECTS})
    def get(self, request):
        return Response([_summary(item) for item in selectors.versions()])


class DefinitionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OBJECT})
    def get(self, request, key, number):
        item = selectors.get_version(key, number)
        return Response({**_summary(item), "definition": item.definition})

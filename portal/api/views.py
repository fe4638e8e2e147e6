from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from portal.accounts import tokens
from portal.accounts.models import ApiToken
from portal.accounts.services import check_credentials
from portal.api.filters import BACKENDS, OrganisationFilter, UserFilter
from portal.api.permissions import HasRulePermission
from portal.api.serializers import (
    OrganisationSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)
from portal.api.validation import body
from portal.core.clients import client_ip
from portal.orgs import selectors


class OrganisationListView(generics.ListAPIView):
    """Organisations within the caller's scope, in tree order."""

    serializer_class = OrganisationSerializer
    permission_classes = [HasRulePermission]
    required_permission = "orgs.view_organisation"

    filterset_class = OrganisationFilter
    filter_backends = BACKENDS

    def get_queryset(self):
        return selectors.visible_organisations(self.request.user).select_related("parent").order_by("path")


class OrganisationDetailView(generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    permission_classes = [HasRulePermission]
    required_permission = "orgs.view_organisation"
    lookup_field = "code"

    def get_queryset(self):
        return selectors.visible_organisations(self.request.user).select_related("parent")


class UserListView(generics.ListAPIView):
    serializer_class = UserSerializer
    permission_classes = [HasRulePermission]
    required_permission = "orgs.view_user"
    filterset_class = UserFilter
    filter_backends = BACKENDS

    def get_queryset(self):
        return selectors.visible_users(self.request.user).order_by("organisation__path", "username").distinct()


class UserDetailView(generics.RetrieveAPIView):
    serializer_class = UserSerializer
    permission_classes = [HasRulePermission]
    required_permission = "orgs.view_user"

    def get_queryset(self):
        return selectors.visible_users(self.request.user)


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class TokenThrottle(AnonRateThrottle):
    rate = "30/min"


class TokenView(APIView):
    """Exchange a username and password for an API token, under the same lockout as the login page."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        data = body(TokenRequestSerializer, request)
        result = check_credentials(request, username=data["username"], password=data["password"], channel="api")
        if result.user is None:
            return Response({"detail": result.error}, status=status.HTTP_401_UNAUTHORIZED)
        token, key = tokens.issue(
            result.user, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
        return Response({"token": key, "expires_at": token.expires_at, "idle_hours": settings.PORTAL_TOKEN_IDLE_HOURS})


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "last_used_at", "expires_at", "ip_address", "user_agent"]


class MyTokenListView(generics.ListAPIView):
    """The caller's live tokens (keys are never shown again, only their first characters)."""

    serializer_class = ApiTokenSerializer
    pagination_class = None

    def get_queryset(self):
        return tokens.live_tokens(self.request.user)


class MyTokenRevokeView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        tokens.revoke(get_object_or_404(ApiToken, pk=pk, user=request.user), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

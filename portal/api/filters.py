"""Filters and ordering of the API's lists (django-filter), documented in the OpenAPI schema by
drf-spectacular. They narrow what the selectors already scoped: a filter can never widen a list
beyond the caller's scope. A malformed value is a 400 naming the parameter."""

from __future__ import annotations

from datetime import UTC, timedelta

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from portal.orgs.choices import OrgKind, Role
from portal.orgs.models import Organisation, User
from portal.programmes.choices import ApplicantKind, ReviewLevel, Status
from portal.programmes.models import Application, Call
from portal.review.models import ListStatus, RecommendationList

# Offsets in use on Earth run from UTC−12 to UTC+14. Python accepts up to ±24 h, PostgreSQL only
# ±15:59 (a 500 at "…-16:17", found by the fuzzer); a year-1 moment east of UTC has no UTC value.
MAX_OFFSET = timedelta(hours=14)


class MomentField(IsoDateTimeField):
    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        offset = moment.utcoffset()
        if offset is not None and abs(offset) > MAX_OFFSET:
            raise ValidationError("时区偏移须在 -12:00 至 +14:00 之间。", code="offset")
        try:
            moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError("时间超出可表示的范围。", code="range")
        return moment


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 moment whose offset and range every database can take."""

    field_class = MomentField


# Set on the views that have a filterset (not as the default backend: it would ask every other
# view's queryset for its model while the schema is generated).
BACKENDS = [DjangoFilterBackend]


def _subtree(field: str):
    """Filter method: the rows whose `field` organisation is the given code or lies below it."""

    def method(queryset, name, value):
        org = Organisation.objects.filter(code=value).only("path").first()
        return queryset.filter(**{f"{field}__path__under": org.path}) if org else queryset.none()

    return method


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices, label="状态")
    call = filters.NumberFilter(field_name="call_id", label="申报批次编号")
    stage = filters.ChoiceFilter(choices=ReviewLevel.choices, label="当前审核环节")
    kind = filters.ChoiceFilter(field_name="applicant_kind", choices=ApplicantKind.choices, label="申报类别")
    organisation = filters.CharFilter(method=_subtree("applicant"), label="机构代码（含下属机构）")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label="在此时间之后修改（ISO 8601）")
    ordering = filters.OrderingFilter(
        fields=(("updated_at", "updated_at"), ("submitted_at", "submitted_at"), ("pk", "id"), ("title", "title")),
        label="排序（字段前加 - 为倒序）",
    )

    class Meta:
        model = Application
        fields = []


class CallFilter(filters.FilterSet):
    published = filters.BooleanFilter(field_name="is_published", label="已发布")
    programme = filters.NumberFilter(field_name="programme_id", label="项目编号")
    opens_since = MomentFilter(field_name="opens_at", lookup_expr="gte", label="在此时间之后开始申报")
    ordering = filters.OrderingFilter(
        fields=(("opens_at", "opens_at"), ("pk", "id"), ("title", "title")), label="排序（字段前加 - 为倒序）"
    )

    class Meta:
        model = Call
        fields = []


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrgKind.choices, label="机构类别")
    parent = filters.CharFilter(field_name="parent__code", label="上级机构代码")
    q = filters.CharFilter(method="search", label="名称或代码")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label="在此时间之后修改")
    ordering = filters.OrderingFilter(
        fields=(("path", "path"), ("code", "code"), ("name", "name")), label="排序（字段前加 - 为倒序）"
    )

    class Meta:
        model = Organisation
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))


class UserFilter(filters.FilterSet):
    organisation = filters.CharFilter(method=_subtree("organisation"), label="机构代码（含下属机构）")
    role = filters.ChoiceFilter(field_name="role_grants__role", choices=Role.choices, label="角色")
    active = filters.BooleanFilter(field_name="is_active", label="有效")
    ordering = filters.OrderingFilter(
        fields=(("username", "username"), ("last_login", "last_login")), label="排序（字段前加 - 为倒序）"
    )

    class Meta:
        model = User
        fields = []


class ListFilter(filters.FilterSet):
    call = filters.NumberFilter(field_name="call_id", label="申报批次编号")
    level = filters.ChoiceFilter(choices=ReviewLevel.choices, label="层级")
    status = filters.ChoiceFilter(choices=ListStatus.choices, label="状态")
    organisation = filters.CharFilter(method=_subtree("organisation"), label="机构代码（含下属机构）")
    ordering = filters.OrderingFilter(fields=(("pk", "id"), ("sent_at", "sent_at")), label="排序（字段前加 - 为倒序）")

    class Meta:
        model = RecommendationList
        fields = []

from rest_framework import serializers

from portal.orgs.models import Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    school_type_label = serializers.CharField(source="get_school_type_display", read_only=True)
    ownership_label = serializers.CharField(source="get_ownership_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "parent_code",
            "division_code",
            "region_name",
            "school_type",
            "school_type_label",
            "ownership",
            "ownership_label",
            "address",
            "postcode",
            "is_active",
        ]


class UserSerializer(serializers.ModelSerializer):
    # Django's username rule is Unicode (陆教授 is a valid name); the model's regex would be published as
    # an ASCII-only JSON-Schema pattern, so the field is declared plainly.
    username = serializers.CharField(read_only=True)
    organisation_code = serializers.CharField(source="organisation.code", default=None, read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", default=None, read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "organisation_code",
            "organisation_name",
            "job_title",
            "roles",
            "is_active",
        ]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_set)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    idle_hours = serializers.IntegerField()

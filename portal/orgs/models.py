from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Now

from portal.orgs.choices import OrgKind, Ownership, Role, SchoolType


class Organisation(models.Model):
    """A node of the administrative tree: ministry → province → city → county → school.

    `path` is the materialised chain of codes (/MOE/450000/450100/450102/…/) so that "this
    organisation and everything below it" is one indexed prefix query, even at 20,000 schools.
    """

    code = models.CharField("机构代码", max_length=32, unique=True)
    name = models.CharField("机构名称", max_length=200)
    kind = models.CharField("机构类别", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级机构", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    division_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)
    region_name = models.CharField("所在地区", max_length=100, blank=True)
    path = models.CharField(max_length=255, unique=True, editable=False)
    # What this organisation's users may see: its own path, except a provincial centre, which
    # acts for its province department and so sees the whole province.
    scope_path = models.CharField(max_length=255, editable=False, db_index=True)
    school_type = models.CharField("学校类型", max_length=20, choices=SchoolType.choices, blank=True)
    ownership = models.CharField("办学性质", max_length=10, choices=Ownership.choices, blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=6, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "path"]),
            # Scope is a prefix match on the path (LIKE 'x%'); PostgreSQL uses a plain index for
            # that only under the C collation, so give it a pattern index (ignored elsewhere).
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]),
            # The tree's stamp (selectors.tree_stamp) reads the latest change off this index.
            models.Index(fields=["updated_at"], name="org_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_codes(self) -> list[str]:
        return list(self.path.strip("/").split("/"))[:-1]


class PortalUserManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


class User(AbstractUser):
    """A person acting for exactly one organisation, with one or more roles (RoleGrant)."""

    real_name = models.CharField("姓名", max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)
    office_phone = models.CharField("固话", max_length=30, blank=True)
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Set for accounts whose initial password an administrator handed out (import): the user
    # must choose their own before doing anything else.
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.real_name}（{self.username}）" if self.real_name else self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def role_set(self) -> frozenset[str]:
        """The user's roles, read once per request (and from a prefetch when one was made)."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            if not self.pk or not self.is_active:
                cached = frozenset()
            else:
                cached = frozenset(grant.role for grant in self.role_grants.all())
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    def role_labels(self) -> list[str]:
        """The granted roles as shown on pages: a deactivated account still lists them (role_set, which
        permissions read, is empty for it)."""
        if self.is_active or not self.pk:
            granted = self.role_set  # cached for the request
        else:
            granted = {grant.role for grant in self.role_grants.all()}
        return [Role(role).label for role in Role.values if role in granted]


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_role_display()}"

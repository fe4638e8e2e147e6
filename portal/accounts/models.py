from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is kept: the key is shown once, when it is issued. A token
    lapses after PORTAL_TOKEN_IDLE_HOURS without use and PORTAL_TOKEN_MAX_DAYS after issue, and
    dies with a password change, a lock or a deactivation of its user (portal/accounts/tokens.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("最迟失效时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField("吊销原因", max_length=40, blank=True)
    ip_address = models.GenericIPAddressField("签发地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}…"

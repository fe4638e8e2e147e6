"""What drf-spectacular needs to describe the portal's own API pieces."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.accounts.tokens.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "以 POST /api/v1/auth/token/ 换取令牌，请求头写作 `Token <令牌>`。"
                               "令牌闲置超时或签发超过期限即失效，修改密码、锁定或停用账户时全部失效。"}

"""Password rules, each answering in Chinese and naming the field it is about.

Django's own validators are kept for their logic; their messages are replaced because the
zh-Hans catalogue lacks some of them (the minimum length answered "This password is too short…"
in English) and because a user should read which rule failed in the portal's own words."""

import re

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("特殊字符", re.compile(r"[^A-Za-z0-9]")),
)


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短：至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "real_name", "email", "phone")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def get_error_message(self):
        # Django fills %(verbose_name)s with the model field's label (用户名, 姓名, 电子邮件地址 …).
        return "密码与您的%(verbose_name)s过于相似，请换一个。"

    def get_help_text(self):
        return "密码不能与用户名、姓名、电子邮箱或手机号码相似。"


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self):
        return "密码过于常见，容易被猜到，请换一个。"

    def get_help_text(self):
        return "密码不能是常见密码。"


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全部是数字。"

    def get_help_text(self):
        return "密码不能全部是数字。"


class CharacterClassValidator:
    """等保 2.0 password complexity: at least `min_classes` of upper, lower, digit, symbol."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _, pattern in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        names = "、".join(name for name, _ in CLASSES)
        return f"密码须至少包含{names}中的 {self.min_classes} 类。"

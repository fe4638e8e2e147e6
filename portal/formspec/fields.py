"""A Django form built from a definition: the web form and the server-side validation.

Drafts keep what was typed, valid or not (the raw values are stored), and report errors at
the field; submission additionally enforces every required field and cross-field rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.validators import validate_email

from portal.formspec.text import count_chars

FORMATS = {
    "mobile": (re.compile(r"^1[3-9]\d{9}$"), "请填写 11 位手机号码，如 13800000000。"),
    "phone": (re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$"), "请填写固定电话（区号-号码），如 0771-5815221。"),
    "fax": (re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$"), "请填写传真号码（区号-号码），如 0771-5815221。"),
    "postcode": (re.compile(r"^\d{6}$"), "应为 6 位数字。"),
    # A table column titled just 电话 (管理团队): a mobile or a landline.
    "tel": (
        re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"),
        "请填写手机号码或固定电话（区号-号码），如 13800000000 或 0769-83011234。",
    ),
}
MULTI_KINDS = {"categories", "keywords"}


@dataclass
class CallContext:
    """What a form takes from its call: the experiment categories and whether several may be chosen."""

    categories: list[dict] = field(default_factory=list)  # [{"number", "name", "keywords": [...]}]
    multiple_categories: bool = False

    def category_choices(self):
        return [(str(c["number"]), c["name"]) for c in self.categories]

    def keyword_choices(self):
        seen: dict[str, None] = {}
        for c in self.categories:
            for kw in c["keywords"]:
                seen.setdefault(kw)
        return [(kw, kw) for kw in seen]

    def keywords_of(self, numbers) -> set[str]:
        return {kw for c in self.categories if str(c["number"]) in numbers for kw in c["keywords"]}


def row_names(name: str, spec: dict) -> list[list[str]]:
    return [[f"{name}__{i}__{col['key']}" for col in spec["columns"]] for i in range(spec["max_rows"])]


def input_names(definition: dict) -> list[str]:
    """Every name a browser posts for this form, in order."""
    names = []
    for name, spec in definition["fields"].items():
        if spec["kind"] == "rows":
            names.extend(n for row in row_names(name, spec) for n in row)
        else:
            names.append(name)
    return names


def _char_limit_validator(label: str, limit: int):
    def check(value):
        used = count_chars(value)
        if used > limit:
            raise forms.ValidationError(f"「{label}」不得超过 {limit} 字，当前 {used} 字，请删减 {used - limit} 字。")

    return check


def _format_validator(fmt: str, label: str):
    """A format check whose message names the field: a form has several phones and e-mails (负责人,
    联系人), and the error summary at the top lists messages away from their fields."""
    if fmt == "email":

        def check(value):
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(f"「{label}」请填写有效的电子邮件地址，如 name@example.cn。")

        return check
    pattern, message = FORMATS[fmt]

    def check(value):
        if not pattern.match(value.strip()):
            raise forms.ValidationError(f"「{label}」{message}")

    return check


def _text_field(label: str, spec: dict, *, max_chars=None, fmt=None) -> forms.Field:
    validators = []
    attrs = {"class": "form-control"}
    if max_chars:
        validators.append(_char_limit_validator(label, max_chars))
        attrs["data-max-chars"] = str(max_chars)
    if fmt:
        validators.append(_format_validator(fmt, label))
        attrs["inputmode"] = {
            "mobile": "tel",
            "phone": "tel",
            "fax": "tel",
            "tel": "tel",
            "postcode": "numeric",
            "email": "email",
        }.get(fmt, "text")
    if spec.get("kind") == "textarea":
        attrs["rows"] = str(spec.get("rows") or (12 if (max_chars or 0) >= 1000 else 5))
        widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, validators=validators, widget=widget, strip=False)


def title_of(spec: dict) -> str:
    """The field's name in messages and lists: the paper caption, or its unambiguous title."""
    return spec.get("title") or spec["label"]


class OneCategoryField(forms.ChoiceField):
    """A single category, stored like the multi-category case (a list) so that a call may switch
    between one and several without changing the draft's shape."""

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            if len(value) > 1:
                raise forms.ValidationError(f"「{self.label}」只能选择一个。")
            value = value[0] if value else ""
        return super().to_python(value)


def django_field(name: str, spec: dict, context: CallContext) -> forms.Field:
    label, kind = title_of(spec), spec["kind"]
    messages = {
        "invalid": f"「{label}」请填写数字。",
        "min_value": f"「{label}」不能为负数。",
        "max_value": f"「{label}」不能超过 %(limit_value)s。",
        "max_decimal_places": f"「{label}」最多保留 %(max)s 位小数。",
        "max_digits": f"「{label}」数值过大。",
        "max_whole_digits": f"「{label}」数值过大。",
    }
    if kind in {"text", "textarea"}:
        return _text_field(label, spec, max_chars=spec.get("max_chars"), fmt=spec.get("format"))
    if kind == "integer":
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            max_value=10**9,
            error_messages={**messages, "invalid": f"「{label}」请填写整数。"},
            widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "numeric"}),
        )
    if kind == "decimal":
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=Decimal(0),
            max_value=Decimal(str(spec["max_value"])) if spec.get("max_value") else None,
            max_digits=12,
            decimal_places=spec.get("places", 2),
            error_messages=messages,
            widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
        )
    if kind in {"yesno", "choice"}:
        widget = (
            forms.RadioSelect(attrs={"class": "form-check-input"})
            if kind == "yesno"
            else forms.Select(attrs={"class": "form-select"})
        )
        choices = spec["choices"] if kind == "yesno" else [("", "请选择")] + [tuple(c) for c in spec["choices"]]
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=choices,
            widget=widget,
            error_messages={"invalid_choice": f"「{label}」的选项无效，请重新选择。"},
        )
    if kind == "categories":
        if context.multiple_categories:
            return forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=context.category_choices(),
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={"invalid_choice": f"「{label}」的选项无效，请重新选择。"},
            )
        return OneCategoryField(
            label=label,
            required=False,
            choices=context.category_choices(),
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            error_messages={"invalid_choice": f"「{label}」的选项无效，请重新选择。"},
        )
    if kind == "keywords":
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=context.keyword_choices(),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            error_messages={"invalid_choice": f"「{label}」的选项无效，请重新选择。"},
        )
    raise ValueError(f"unknown field kind {kind!r}")


class DefinitionForm(forms.Form):
    """Bound to the raw values of a draft. mode="draft" checks what was typed; mode="submit"
    also requires every required field, as the paper form does."""

    definition: dict = {}
    context: CallContext = CallContext()

    def __init__(self, *args, mode: str = "draft", **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode

    def clean(self):
        cleaned = super().clean()
        fields = self.definition["fields"]
        for name, spec in fields.items():
            if spec["kind"] == "rows":
                self._clean_rows(name, spec)
        categories_field = next((n for n, s in fields.items() if s["kind"] == "categories"), None)
        keywords_field = next((n for n, s in fields.items() if s["kind"] == "keywords"), None)
        if categories_field and keywords_field and cleaned.get(keywords_field):
            chosen = cleaned.get(categories_field) or []
            chosen = [chosen] if isinstance(chosen, str) else chosen
            allowed = self.context.keywords_of(chosen)
            stray = [kw for kw in cleaned[keywords_field] if kw not in allowed]
            if stray:
                self.add_error(keywords_field, f"关键词“{'”“'.join(stray)}”不属于所选实验类别，请重新选择。")
        if self.mode == "submit":
            self._require(fields, cleaned)
        return cleaned

    def _clean_rows(self, name: str, spec: dict) -> None:
        filled = 0
        for row in row_names(name, spec):
            values = [(self.cleaned_data.get(n) or "").strip() for n in row]
            if any(values):
                filled += 1
                if self.mode == "submit":
                    for n, v, col in zip(row, values, spec["columns"]):
                        # A cell refused for its format is not also "missing" (its cleaned value is gone).
                        if not v and n not in self.errors:
                            self.add_error(n, f"请填写「{col['label']}」。")
        if self.mode == "submit" and filled < spec.get("min_rows", 0):
            self.add_error(row_names(name, spec)[0][0], f"「{spec['label']}」至少填写 {spec['min_rows']} 行。")

    def _require(self, fields: dict, cleaned: dict) -> None:
        for name, spec in fields.items():
            if spec["kind"] == "rows" or name in self.errors:
                continue
            needed = spec.get("required", True)
            if spec.get("required_if"):
                other, value = spec["required_if"]
                needed = cleaned.get(other) == value
            if needed and cleaned.get(name) in (None, "", []):
                verb = "选择" if spec["kind"] in {"yesno", "choice", "categories", "keywords"} else "填写"
                self.add_error(name, f"请{verb}「{title_of(spec)}」。")


def _named(field: forms.Field, name: str) -> forms.Field:
    """The paper form puts most inputs in table cells whose visible label is a neighbouring cell, so
    each single input carries its title as its accessible name. Choice groups are left alone: each
    option has its own <label>, and the group its aria-label (formspec/_input.html)."""
    if not isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        field.widget.attrs.setdefault("aria-label", name)
    return field


def form_class(definition: dict, context: CallContext) -> type[DefinitionForm]:
    attrs = {"definition": definition, "context": context}
    for name, spec in definition["fields"].items():
        if spec["kind"] == "rows":
            for i, row in enumerate(row_names(name, spec), 1):
                for n, col in zip(row, spec["columns"]):
                    # A formatted cell's message names its table and row (「信息化管理团队第1行电话」): an error
                    # summary lists it away from the cell.
                    label = f"{spec['label']}第{i}行{col['label']}" if col.get("format") else col["label"]
                    attrs[n] = _named(
                        _text_field(label, {"kind": "text"}, max_chars=col.get("max_chars"), fmt=col.get("format")),
                        f"{spec['label']}第{i}行 {col['label']}",
                    )
        else:
            attrs[name] = _named(django_field(name, spec, context), title_of(spec))
    return type(f"Form_{definition['key']}_v{definition['version']}", (DefinitionForm,), attrs)

"""Forms of the expert pages."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from portal.core.labels import LabelledFormSet
from portal.programmes.choices import ApplicantKind


class ExpertForm(forms.Form):
    user = forms.ModelChoiceField(label="专家账户", queryset=None, error_messages={"required": "请选择专家账户。"})
    field = forms.CharField(label="专业领域", max_length=100, error_messages={"required": "请填写专业领域。"})
    region = forms.ModelChoiceField(label="所在地市（回避用）", queryset=None, required=False)
    gender = forms.ChoiceField(label="性别", required=False, choices=[("", "—"), ("男", "男"), ("女", "女")])

    def __init__(self, *args, users=None, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.display_name} · {u.organisation.name if u.organisation else ''}"
        )
        self.fields["region"].queryset = cities
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select" if isinstance(f, (forms.ModelChoiceField, forms.ChoiceField)) else "form-control"
            )


def expert_label(e) -> str:
    """An expert as a choice: name · field · unit (enough to tell two of the same name apart)."""
    return f"{e} · {e.field} · {e.user.organisation.name if e.user.organisation else ''}"


class PanelForm(forms.Form):
    call = forms.ModelChoiceField(label="申报批次", queryset=None, error_messages={"required": "请选择申报批次。"})
    name = forms.CharField(label="专家组名称", max_length=100, error_messages={"required": "请填写专家组名称。"})
    applicant_kind = forms.ChoiceField(
        label="申报类别", required=False, choices=[("", "全部")] + list(ApplicantKind.choices)
    )
    category = forms.IntegerField(label="实验类别序号（留空为全部）", required=False, min_value=1)
    leader = forms.ModelChoiceField(label="组长", queryset=None, error_messages={"required": "请选择组长。"})
    members = forms.ModelMultipleChoiceField(
        label="成员", queryset=None, widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择成员。"}
    )
    experts_per_application = forms.IntegerField(label="每份申请评审专家数", min_value=1, initial=3)
    outlier_margin = forms.DecimalField(label="离群提示阈值（分）", min_value=0, initial=15, decimal_places=2)

    def __init__(self, *args, calls=None, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["leader"].queryset = experts
        self.fields["members"].queryset = experts
        self.fields["leader"].label_from_instance = expert_label
        self.fields["members"].label_from_instance = expert_label
        for name, f in self.fields.items():
            if name != "members":
                f.widget.attrs["class"] = "form-select" if isinstance(f, (forms.ChoiceField,)) else "form-control"


class CriterionForm(forms.Form):
    # data-formset-order: the page renumbers 序号 as rows are moved (static/portal/js/formset.js).
    number = forms.IntegerField(
        label="序号", min_value=1, widget=forms.NumberInput(attrs={"class": "form-control", "data-formset-order": ""})
    )
    title = forms.CharField(
        label="评分项", max_length=200, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    guidance = forms.CharField(
        label="评分要点", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    max_points = forms.DecimalField(
        label="分值",
        min_value=0,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )
    weight = forms.DecimalField(
        label="权重",
        min_value=0,
        decimal_places=2,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
    )


class _CriterionFormSet(LabelledFormSet):
    def clean(self):
        numbers = [
            f.cleaned_data["number"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and "number" in f.cleaned_data
        ]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise forms.ValidationError("评分项序号不能重复：" + "、".join(map(str, repeated)) + "。")


CriterionFormSet = formset_factory(CriterionForm, formset=_CriterionFormSet, extra=1, can_delete=True)

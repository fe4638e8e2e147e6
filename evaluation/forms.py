"""The form that opens an evaluation round; its rubric is the expert review's criterion formset."""

from __future__ import annotations

from django import forms

from evaluation.models import RoundKind, Selection
from portal.experts.forms import expert_label

DATETIME = {"type": "datetime-local", "class": "form-control"}


class RoundForm(forms.Form):
    call = forms.ModelChoiceField(label="批次", queryset=None, error_messages={"required": "请选择批次。"})
    kind = forms.ChoiceField(label="评估类型", choices=RoundKind.choices)
    title = forms.CharField(label="名称", max_length=200, error_messages={"required": "请填写名称。"})
    selection = forms.ChoiceField(label="参评项目", choices=Selection.choices)
    sample_size = forms.IntegerField(label="随机抽取数量", required=False, min_value=1)
    chosen = forms.ModelMultipleChoiceField(
        label="指定项目", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    self_due_at = forms.DateTimeField(
        label="自评报告截止时间",
        widget=forms.DateTimeInput(attrs=DATETIME),
        error_messages={"required": "请填写自评报告截止时间。", "invalid": "请填写有效的日期时间。"},
    )
    review_due_at = forms.DateTimeField(
        label="专家评审截止时间",
        widget=forms.DateTimeInput(attrs=DATETIME),
        error_messages={"required": "请填写专家评审截止时间。", "invalid": "请填写有效的日期时间。"},
    )
    standards = forms.CharField(
        label="评估标准",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    standards_file = forms.FileField(label="评估标准文件（PDF、Word，可选）", required=False)
    grades = forms.BooleanField(label="通过时评定等级（优秀、良好、合格）", required=False, initial=True)
    notice_days = forms.IntegerField(label="结果公示天数（0 为直接公布）", min_value=0, max_value=30, initial=5)
    experts_per_project = forms.IntegerField(label="每个项目评审专家数", min_value=1, max_value=15, initial=3)
    leader = forms.ModelChoiceField(
        label="专家组组长", queryset=None, error_messages={"required": "请选择专家组组长。"}
    )
    members = forms.ModelMultipleChoiceField(
        label="专家组成员",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择专家组成员。"},
    )

    def __init__(self, *args, calls=None, projects=None, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["chosen"].queryset = projects
        self.fields["chosen"].label_from_instance = lambda p: f"{p.title} · {p.organisation.name}"
        self.fields["leader"].queryset = experts
        self.fields["members"].queryset = experts
        self.fields["leader"].label_from_instance = expert_label
        self.fields["members"].label_from_instance = expert_label
        for name, f in self.fields.items():
            if name in ("chosen", "members", "grades", "standards_file"):
                continue
            f.widget.attrs.setdefault(
                "class", "form-select" if isinstance(f, (forms.ChoiceField, forms.ModelChoiceField)) else "form-control"
            )

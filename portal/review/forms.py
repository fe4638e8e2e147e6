"""Forms of the review pages: a level's opinion, bulk actions, the notice, objections, the seal."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.review.chain import Outcome

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class OpinionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="审核结论", widget=forms.RadioSelect, error_messages={"required": "请选择审核结论。"}
    )
    text = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "请填写意见。"}
    )
    reasons = forms.CharField(
        label="退回理由（申报单位可见）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer_name = forms.CharField(label="签字人", max_length=50, error_messages={"required": "请填写签字人。"})
    signed_on = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写日期。", "invalid": "日期格式不正确。"},
    )

    def __init__(self, *args, outcomes=(), box="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o, Outcome(o).label) for o in outcomes]
        if box:
            self.fields["text"].label = box
            self.fields["text"].error_messages["required"] = f"请填写“{box}”。"
        self.initial.setdefault("signed_on", timezone.localdate())
        for name in ("text", "reasons", "signer_name", "signed_on"):
            self.fields[name].widget.attrs["class"] = "form-control"


ASSIGN = "assign"


class BulkForm(forms.Form):
    """Bulk actions on the queue. Only the outcomes some waiting application's level allows are
    offered (a county is never offered 同意立项); `outcomes` comes from selectors.offered_outcomes."""

    action = forms.ChoiceField(
        label="批量操作",
        choices=[],
        error_messages={"required": "请选择批量操作。", "invalid_choice": "当前待审申请所在环节不能作出该结论。"},
    )
    text = forms.CharField(label="意见（用于所选每一份申请）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reasons = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    panel = forms.ModelChoiceField(label="专家组（分配时）", queryset=None, required=False)

    def __init__(self, *args, panels=None, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(o, Outcome(o).label) for o in Outcome.values if o in outcomes]
        self.fields["panel"].queryset = panels
        if panels:
            choices.append((ASSIGN, "分配给专家组评审"))
        else:
            del self.fields["panel"]
        self.fields["action"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == ASSIGN and not cleaned.get("panel"):
            self.add_error("panel", "请选择专家组。")
        return cleaned


class NoticeForm(forms.Form):
    notice_title = forms.CharField(label="公示标题", max_length=200, required=False)
    notice_text = forms.CharField(
        label="公示说明（受理异议的方式等）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notice_starts = forms.DateTimeField(
        label="公示开始",
        widget=DATETIME,
        input_formats=DT_FORMATS,
        error_messages={"required": "请填写公示开始时间。", "invalid": "时间格式不正确。"},
    )
    notice_ends = forms.DateTimeField(
        label="公示结束",
        widget=DATETIME,
        input_formats=DT_FORMATS,
        error_messages={"required": "请填写公示结束时间。", "invalid": "时间格式不正确。"},
    )


class OfflineNoticeForm(forms.Form):
    """A notice the level ran elsewhere, recorded after the fact (review.services.lists)."""

    notice_starts = forms.DateTimeField(
        label="线下公示开始",
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写线下公示开始时间。", "invalid": "时间格式不正确。"},
    )
    notice_ends = forms.DateTimeField(
        label="线下公示结束",
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写线下公示结束时间。", "invalid": "时间格式不正确。"},
    )
    notice_where = forms.CharField(
        label="公示地点或网址",
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "如：本局门户网站“通知公告”栏目、局机关公告栏"}
        ),
    )
    notice_outcome = forms.CharField(
        label="公示结果",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "placeholder": "如：公示期间未收到异议"}),
    )
    notice_scan = forms.FileField(
        label="公示材料扫描件（可选）", required=False, widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )


class ObjectionForm(forms.Form):
    application = forms.ChoiceField(label="针对的申请", required=False)
    name = forms.CharField(label="姓名", max_length=50)
    contact = forms.CharField(label="联系方式（手机或电子邮箱）", max_length=100)
    text = forms.CharField(label="异议内容（事实和理由）", widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="证明材料（可选）", required=False)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "整个名单")] + [
            (e.application_id, e.application.applicant.name) for e in entries
        ]
        for name, field in self.fields.items():
            field.error_messages["required"] = f"请填写{field.label}。"
            field.widget.attrs["class"] = "form-select" if name == "application" else "form-control"


class HandleForm(forms.Form):
    handling = forms.CharField(
        label="处理情况", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写处理情况。"}
    )


class SealUploadForm(forms.Form):
    file = forms.FileField(label="公章扫描件（PNG 或 JPG，建议透明背景）", error_messages={"required": "请选择图片。"})

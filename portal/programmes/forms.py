"""Forms of the call configuration page and of the small applicant actions."""

from __future__ import annotations

import re

from django import forms
from django.forms import formset_factory

from portal.core.labels import LabelledFormSet
from portal.formspec import registry
from portal.orgs.models import Organisation
from portal.programmes.choices import ApplicantKind, QuotaTarget, ReportCadence, ReviewLevel, Step
from portal.programmes.models import Call, Programme
from portal.programmes.services.calls import CallConfig

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
QUOTA_LEVELS = [ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.PROVINCE]


class CallForm(forms.ModelForm):
    """The call's own fields, plus its forms, review chain, quotas and deadlines as fixed grids."""

    class Meta:
        model = Call
        fields = [
            "programme",
            "title",
            "issuing_authority",
            "document_number",
            "notice_title",
            "summary",
            "contact_info",
            "opens_at",
            "is_published",
            "multiple_categories",
            "target_zones",
            "target_schools",
            "notice_days",
            "cycle_years",
            "extension_years_max",
            "max_file_mb",
            "max_total_mb",
            "excluded_calls",
            "exclusion_note",
            "report_cadence",
            "plan_due_days",
            "monthly_pilot_reports",
        ]
        widgets = {
            "opens_at": DATETIME,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "contact_info": forms.Textarea(attrs={"rows": 3}),
            "excluded_calls": forms.CheckboxSelectMultiple,
        }

    notice_levels = forms.MultipleChoiceField(
        label="须公示推荐名单的层级",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (ReviewLevel.CITY, "市级推荐名单"),
            (ReviewLevel.PROVINCE, "省级推荐 / 立项名单"),
            (ReviewLevel.MINISTRY, "教育部立项名单"),
        ],
        help_text="名单公示期满、异议处理完毕后方可上报或公布。",
    )
    excluded_codes = forms.CharField(
        label="不得申报的单位（机构代码，每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, programmes=None, other_calls=None, scope_orgs=None, published_forms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_orgs = scope_orgs if scope_orgs is not None else Organisation.objects.none()
        self.fields["programme"].queryset = programmes if programmes is not None else Programme.objects.all()
        self.fields["excluded_calls"].queryset = other_calls if other_calls is not None else Call.objects.none()
        if not self.fields["excluded_calls"].queryset.exists():
            # No other call to choose from: the section would be an empty heading.
            del self.fields["excluded_calls"]
        self.fields["opens_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        # Calls set up before progress reports existed post no cadence: they keep the quarterly default.
        self.fields["report_cadence"].required = False
        self.fields["plan_due_days"].required = False
        # The portal's forms, and those the provinces published that this user's calls may use.
        form_choices = (
            [("", "不接受此类申报")]
            + registry.choices()
            + [
                (row.key, f"{row.title}（{row.key}，{row.owner.name}发布，第 {row.version} 版）")
                for row in published_forms
                if row.definition.get("use") != "project"
            ]
        )
        for kind, label in ApplicantKind.choices:
            self.fields[f"form_{kind}"] = forms.ChoiceField(label=f"{label}填写", choices=form_choices, required=False)
        for i in range(5):
            self.fields[f"chain_{i}"] = forms.ChoiceField(
                label=f"第{i + 1}步", required=False, choices=[("", "—")] + list(ReviewLevel.choices)
            )
        for level in QUOTA_LEVELS:
            for target, tlabel in QuotaTarget.choices:
                label = f"每个{ReviewLevel(level).label}推荐{tlabel}上限"
                self.fields[f"quota_{level}_{target}"] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "aria-label": label}),
                )
        for step, slabel in Step.choices:
            self.fields[f"due_{step}"] = forms.DateTimeField(
                label=f"{slabel}截止时间",
                required=False,
                widget=DATETIME,
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
            )
        if self.instance.pk:
            self._initial_from_instance()

    def _initial_from_instance(self):
        call = self.instance
        for f in call.forms.all():
            self.initial[f"form_{f.applicant_kind}"] = f.form_key
        for i, level in enumerate(call.review_chain[:5]):
            self.initial[f"chain_{i}"] = level
        for q in call.quotas.all():
            self.initial[f"quota_{q.level}_{q.target}"] = q.max_count
        for d in call.deadlines.all():
            self.initial[f"due_{d.step}"] = d.due_at
        self.initial["notice_levels"] = call.notice_levels
        self.initial["excluded_codes"] = "\n".join(call.excluded_organisations.values_list("code", flat=True))

    def clean_notice_days(self):
        days = self.cleaned_data["notice_days"]
        if days < 5:
            raise forms.ValidationError("公示时间不少于5天。")
        return days

    def clean_excluded_codes(self):
        codes = [c for c in re.split(r"[\s,，、]+", self.cleaned_data["excluded_codes"]) if c]
        found = {o.code: o for o in self.scope_orgs.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(f"以下机构代码不存在或不在您的管理范围内：{'、'.join(missing)}")
        return [found[c] for c in codes]

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"form_{kind}") for kind in ApplicantKind.values):
            self.add_error(f"form_{ApplicantKind.SCHOOL}", "请至少为一类申报单位指定申请表。")
        from portal.review.chain import chain_refusals

        chain = [cleaned.get(f"chain_{i}") for i in range(5) if cleaned.get(f"chain_{i}")]
        for refusal in chain_refusals(chain):
            self.add_error("chain_0", refusal)
        cleaned["review_chain"] = chain
        opens, due = cleaned.get("opens_at"), cleaned.get(f"due_{Step.SUBMIT}")
        if opens and due and due <= opens:
            self.add_error(f"due_{Step.SUBMIT}", "提交截止时间应晚于开始申报时间。")
        return cleaned

    def quota_rows(self):
        return [
            (ReviewLevel(level).label, [self[f"quota_{level}_{t}"] for t in QuotaTarget.values])
            for level in QUOTA_LEVELS
        ]

    def clean_plan_due_days(self):
        value = self.cleaned_data.get("plan_due_days")
        return 60 if value is None else value

    def clean_report_cadence(self):
        return self.cleaned_data.get("report_cadence") or ReportCadence.QUARTERLY

    def config(self, categories: list[dict]) -> CallConfig:
        c = self.cleaned_data
        values = {name: c[name] for name in self.Meta.fields if name not in {"programme", "excluded_calls"}}
        values["review_chain"] = c["review_chain"]
        values["notice_levels"] = [level for level in c["notice_levels"] if level in c["review_chain"]]
        return CallConfig(
            programme=c["programme"],
            values=values,
            forms={kind: c[f"form_{kind}"] for kind in ApplicantKind.values if c.get(f"form_{kind}")},
            categories=categories,
            quotas=[
                {"level": level, "target": t, "max_count": c[f"quota_{level}_{t}"]}
                for level in QUOTA_LEVELS
                for t in QuotaTarget.values
                if c.get(f"quota_{level}_{t}") is not None
            ],
            deadlines=[{"step": step, "due_at": c[f"due_{step}"]} for step in Step.values if c.get(f"due_{step}")],
            excluded_calls=list(c.get("excluded_calls", [])),
            excluded_organisations=c["excluded_codes"],
        )


class CategoryForm(forms.Form):
    number = forms.IntegerField(label="序号", min_value=1, widget=forms.NumberInput(attrs={"class": "form-control"}))
    name = forms.CharField(
        label="实验类别", max_length=200, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    keywords = forms.CharField(
        label="关键词（以顿号、逗号或换行分隔）", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def clean_keywords(self):
        words = [w.strip('“”" ') for w in re.split(r"[、，,；;\n]+", self.cleaned_data["keywords"])]
        words = [w for w in words if w]
        if not words:
            raise forms.ValidationError("请至少填写一个关键词。")
        return words


# One blank row; the page adds and removes rows itself (static/portal/js/call_form.js).
CategoryFormSet = formset_factory(CategoryForm, formset=LabelledFormSet, extra=1, can_delete=True)
NewCategoryFormSet = formset_factory(CategoryForm, formset=LabelledFormSet, extra=0, can_delete=True)


def categories_from(formset) -> list[dict]:
    rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    return [{"number": r["number"], "name": r["name"], "keywords": r["keywords"]} for r in rows]


def category_initial(call: Call) -> list[dict]:
    return [{"number": c.number, "name": c.name, "keywords": "、".join(c.keywords)} for c in call.categories.all()]


class AttachmentForm(forms.Form):
    file = forms.FileField(label="选择文件", error_messages={"required": "请选择要上传的文件。"})
    purpose = forms.CharField(widget=forms.HiddenInput)
    field = forms.CharField(widget=forms.HiddenInput, required=False)

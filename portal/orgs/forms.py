from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings

from portal.orgs.choices import OrgKind


class ImportForm(forms.Form):
    file = forms.FileField(
        label="导入文件", help_text="Excel（.xlsx）或 CSV（UTF-8 / GBK）文件，请使用下方模板的列名。"
    )
    dry_run = forms.BooleanField(label="仅校验，不写入", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "开始导入", css_class="btn-primary"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("仅支持 .xlsx 或 .csv 文件。")
        if upload.size > settings.PORTAL_IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"文件不能超过 {settings.PORTAL_IMPORT_MAX_BYTES // (1024 * 1024)} MB。")
        return upload


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="名称或代码", required=False)
    kind = forms.ChoiceField(label="机构类别", required=False, choices=[("", "全部")] + OrgKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.field_class = ""
        self.helper.disable_csrf = True
        self.helper.form_tag = False


class UserFilterForm(forms.Form):
    q = forms.CharField(label="姓名、用户名或单位", required=False)
    locked = forms.BooleanField(label="仅显示被锁定的账户", required=False)


class AccountForm(forms.Form):
    """One account on the administrator's page. The organisation is given by its code (a province
    has thousands); what may be granted is checked by portal/orgs/accounts.py."""

    username = forms.CharField(
        label="用户名", max_length=150, help_text="3–150 位字母、数字或 _ . @ -，创建后不能修改。"
    )
    real_name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    organisation = forms.CharField(
        label="所属机构代码",
        max_length=32,
        help_text="如 2450102001；可在“机构”页面查到。",
        error_messages={"required": "请填写所属机构代码。"},
    )
    job_title = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="手机", max_length=20, required=False)
    office_phone = forms.CharField(label="固话", max_length=30, required=False)
    email = forms.CharField(label="电子邮箱", max_length=254, required=False)
    roles = forms.MultipleChoiceField(
        label="角色",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个角色。", "invalid_choice": "您无权授予所选角色。"},
    )

    def __init__(self, *args, grantable=(), creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.orgs.choices import Role

        self.fields["roles"].choices = [(r, Role(r).label) for r in Role.values if r in grantable]
        if not creating:
            del self.fields["username"]

    def clean_organisation(self):
        from portal.orgs.models import Organisation

        code = self.cleaned_data["organisation"].strip()
        org = Organisation.objects.filter(code=code, is_active=True).first()
        if org is None:
            raise forms.ValidationError(f"机构代码 {code} 不存在。")
        return org

    def contact_fields(self) -> dict:
        return {
            k: self.cleaned_data.get(k, "").strip()
            for k in ("real_name", "job_title", "phone", "office_phone", "email")
        }


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label="停用原因",
        max_length=200,
        error_messages={"required": "请填写停用原因。"},
        widget=forms.TextInput(
            attrs={"placeholder": "停用原因，如：已调离本单位", "class": "form-control form-control-sm"}
        ),
    )

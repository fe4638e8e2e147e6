from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings

from portal.orgs.choices import OrgKind


class ImportForm(forms.Form):
    file = forms.FileField(label="导入文件", help_text="Excel（.xlsx）或 CSV（UTF-8 / GBK）文件，请使用下方模板的列名。")
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

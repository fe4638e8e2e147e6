from django import forms


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人账号", required=False)
    action = forms.CharField(label="操作（代码前缀）", required=False, help_text="如 accounts.login")
    object_id = forms.CharField(label="对象编号", required=False)
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

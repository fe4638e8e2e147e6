"""Accessible names for inputs that sit in table cells (formset rows, quota grids), where the column
head is the visible label and no <label> can point at each cell: the field's label becomes the
input's aria-label, so a screen reader says 关键词 rather than "edit text"."""

from django import forms


def name_inputs(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault("aria-label", str(field.label or ""))


class LabelledFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "删除"
        name_inputs(form)

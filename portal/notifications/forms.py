from django import forms


class EmailChoicesForm(forms.Form):
    def __init__(self, *args, kinds=(), initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds:
            self.fields[kind] = forms.BooleanField(
                label=label,
                required=False,
                initial=(initial_choices or {}).get(kind, True),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

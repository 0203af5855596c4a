from django import forms
from django.utils.translation import gettext_lazy as _


class ReportRequestForm(forms.Form):
    kind = forms.CharField(max_length=64, widget=forms.HiddenInput)
    subject_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def clean_kind(self):
        from reports import registry

        code = self.cleaned_data["kind"]
        if registry.get(code) is None:
            raise forms.ValidationError(_("There is no report of that kind."))
        return code

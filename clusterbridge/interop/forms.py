from django import forms

from clusterbridge.interop import sheets


class CallsUploadForm(forms.Form):
    file = forms.FileField(
        label="Portal file",
        help_text="Search API results (JSON saved from the portal's search) or the bulk file "
        "grantsTenders.json. The format is recognised from the content.",
    )


class SpreadsheetUploadForm(forms.Form):
    record_type = forms.ChoiceField(label="Records", choices=sheets.record_type_choices)
    file = forms.FileField(
        label="Spreadsheet", help_text="CSV (UTF-8) or XLSX, with the columns of the template."
    )


class CommitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

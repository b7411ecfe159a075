from django import forms

from clusterbridge.funding.models import CURRENT_STATUSES, Status
from clusterbridge.matching.engine import Profile
from clusterbridge.taxonomy.filters import (
    CodeListField,
    country_codes,
    feature_code_case,
    feature_codes,
)

MATCH_STATUSES = [
    (Status.OPEN.value, "Open"),
    (Status.FORTHCOMING.value, "Forthcoming"),
    (Status.UNKNOWN.value, "Unknown (check at the source)"),
]


class MatchForm(forms.Form):
    """An ad-hoc profile, from the /match/ page or the API (same parameter names)."""

    feature = CodeListField(
        known_codes=feature_codes,
        noun="feature code(s)",
        normalise=feature_code_case,
        label="Features",
    )
    country = CodeListField(known_codes=country_codes, noun="country code(s)", label="Country")
    description = forms.CharField(
        required=False,
        max_length=5000,
        label="Describe your solution (optional)",
        help_text="A few sentences in any of English, Lithuanian, Spanish, French, German, "
        "Italian or Polish: features are suggested from it for you to tick.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.MultipleChoiceField(
        choices=MATCH_STATUSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Show instruments that are",
        help_text="Open and forthcoming unless you tick others. Closed calls never appear.",
    )

    def clean_status(self):
        return self.cleaned_data["status"] or [str(s) for s in CURRENT_STATUSES]

    def clean_country(self):
        codes = self.cleaned_data["country"]
        if len(codes) > 1:
            raise forms.ValidationError("Give one country.")
        return codes[0] if codes else None

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(frozenset(data["feature"]), data["country"], data["description"])


class MatchMatrixForm(forms.Form):
    project = forms.ModelMultipleChoiceField(None, required=False, widget=forms.MultipleHiddenInput)
    top = forms.IntegerField(
        min_value=1, max_value=20, required=False, initial=5, label="Instruments per project"
    )

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects

from django import forms
from django.core.exceptions import ValidationError

from clusterbridge.alerts import sources
from clusterbridge.alerts.models import SavedSearch
from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.taxonomy.models import Country, Feature


class SavedSearchForm(VersionedFormMixin, forms.ModelForm):
    features = forms.ModelMultipleChoiceField(
        queryset=Feature.objects.select_related("category").order_by("category__order", "order"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a solution profile: what the solution uses, does and needs.",
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
        help_text="For a solution profile: where the applicant is based.",
    )

    class Meta:
        model = SavedSearch
        fields = ["name", "kind", "query", "features", "country", "description", "frequency"]
        widgets = {
            "kind": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"query": "Search", "frequency": "E-mail me newly matching calls"}

    def feature_groups(self):
        """The feature checkboxes grouped by taxonomy category, for the page."""
        categories = {f.code: f.category.label for f in self.fields["features"].queryset}
        groups: dict[str, list] = {}
        for checkbox in self["features"]:
            code = str(checkbox.data["value"])
            groups.setdefault(categories.get(code, ""), []).append(checkbox)
        return list(groups.items())

    def clean_query(self):
        return (self.cleaned_data.get("query") or "").strip().lstrip("?")

    def clean(self):
        data = super().clean()
        if data.get("kind") == SavedSearch.Kind.PROFILE:
            if not data.get("features"):
                self.add_error("features", "Tick at least one feature for a solution profile.")
            data["query"] = ""
        else:
            try:
                sources.validate_query(data.get("query", ""))
            except ValidationError as error:
                self.add_error("query", error)
            data["features"] = []
            data["country"] = None
            data["description"] = ""
        return data

from django import forms

from clusterbridge.projects.models import Project
from clusterbridge.taxonomy.models import Country, Feature


class ProjectForm(forms.ModelForm):
    country = forms.ModelChoiceField(
        Country.objects.all(), required=False, empty_label="not stated"
    )
    features = forms.ModelMultipleChoiceField(
        Feature.objects.select_related("category"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "organisation",
            "country",
            "stage",
            "description",
            "features",
            "visibility",
            "owner_cluster",
            "call",
            "supporting_cluster",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

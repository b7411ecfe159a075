from django import forms
from django.contrib.auth import get_user_model

from clusterbridge.analytics.models import ProjectGroup
from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.projects.models import Project

SORTS = (("-lq", "highest LQ first"), ("geo", "region code"), ("-employment", "most employed"))


class SpecialisationQuery(forms.Form):
    """The parameters of the specialisation page and of its API endpoint (one definition)."""

    dataset = forms.CharField(required=False)
    series = forms.CharField(required=False)
    period = forms.CharField(required=False, label="Year")
    industry = forms.CharField(required=False, label="NACE industry")
    ecosystem = forms.CharField(required=False, label="Industrial ecosystem")
    nodes = forms.BooleanField(required=False, label="Specialisation nodes only")
    sort = forms.ChoiceField(required=False, choices=SORTS)


class RegionalUploadForm(forms.Form):
    file = forms.FileField(
        label="Eurostat file (bulk TSV or SDMX-CSV)",
        help_text="Regional employment by NACE industry, e.g. sbs_r_nuts06_r2.",
    )
    dataset = forms.SlugField(
        required=False,
        label="Dataset code",
        help_text="Eurostat's code; read from the file (SDMX-CSV) or its name when empty.",
    )
    dry_run = forms.BooleanField(required=False, label="Check only, import nothing")


class ProjectGroupForm(VersionedFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.real().order_by("call", "name")
        self.fields["manager"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )

    class Meta:
        model = ProjectGroup
        fields = ["name", "area", "end_users", "projects", "manager", "status"]
        widgets = {"projects": forms.CheckboxSelectMultiple}

from django import forms
from django.db.models import Q

from clusterbridge.accounts.roles import is_member, is_verified
from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.projects.models import Project, Visibility
from clusterbridge.taxonomy.models import Country, Feature


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    owner_cluster = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="none (the project is yours)",
        label="Owner cluster",
        help_text="A cluster you manage: its managers may then change the project too.",
    )

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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        from clusterbridge.accounts.roles import is_admin
        from clusterbridge.clusters.models import Cluster
        from clusterbridge.projects.models import managed_cluster_ids

        # Only clusters the person manages (administrators: any published cluster), plus the
        # current owner so that an edit by an editor keeps it.
        clusters = (
            Cluster.objects.public()
            if is_admin(user)
            else Cluster.objects.filter(
                pk__in=managed_cluster_ids(user) if user and user.is_authenticated else []
            )
        )
        current = self.instance.owner_cluster_id if self.instance.pk else None
        self.fields["owner_cluster"].queryset = Cluster.objects.filter(
            Q(pk__in=clusters.values("pk")) | Q(pk=current)
        ).order_by("name")

    def clean_visibility(self):
        visibility = self.cleaned_data["visibility"]
        if visibility == Visibility.PUBLIC and is_member(self.user) and not is_verified(self.user):
            raise forms.ValidationError(
                "Confirm your e-mail address to publish a project; keep it private until then."
            )
        return visibility

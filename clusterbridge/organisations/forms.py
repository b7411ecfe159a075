"""Forms of the organisation pages. They read the input; `services.py` validates the record
(the same checks for the API) and writes it."""

from django import forms

from clusterbridge.clusters.models import Cluster
from clusterbridge.funding.forms import FeatureCheckboxes, grouped_feature_choices
from clusterbridge.organisations.models import MESSAGE_MAX, Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term


class OrganisationForm(forms.ModelForm):
    country = forms.ModelChoiceField(
        Country.objects.all(), to_field_name="code", required=False, empty_label="not stated"
    )
    website = forms.URLField(
        max_length=500, required=False, assume_scheme="https", help_text="Starting with https://"
    )

    class Meta:
        model = Organisation
        fields = [*Organisation.VALUE_FIELDS, *Organisation.M2M_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "features": FeatureCheckboxes,
            "ecosystems": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
        }
        labels = {"type": "Type of organisation", "size": "Size"}
        help_texts = {
            "size": "Employees, as the EU's SME definition counts them. Leave empty if you "
            "prefer not to say.",
            "ecosystems": "The industrial ecosystems of the EU's industrial strategy.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["size"].choices = [("", "not stated"), *self.fields["size"].choices[1:]]
        self.fields["type"].choices = [("", "choose a type"), *self.fields["type"].choices[1:]]
        # Application domains are the industrial ecosystems, chosen once, under "ecosystems".
        self.fields["features"].queryset = Feature.objects.exclude(category__code="A")
        self.fields["features"].choices = grouped_feature_choices(exclude=("A",))
        if self.instance.country_id:
            # The choices are codes; the model's initial value would be the id.
            self.initial["country"] = self.instance.country.code
        for name, vocabulary in Organisation.TERM_FIELDS.items():
            self.fields[name].queryset = Term.objects.filter(vocabulary=vocabulary)
            self.fields[name].to_field_name = "code"

    def values(self) -> dict:
        """The cleaned values, as the services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class JoinForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        required=False,
        label="Message to the owners",
        help_text="Optional: who you are in the organisation, so the owners recognise you.",
    )


class ClusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cluster: Cluster) -> str:
        return f"{cluster.name} ({cluster.country.label})" if cluster.country_id else cluster.name


class ClusterRequestForm(forms.Form):
    cluster = ClusterChoiceField(
        Cluster.objects.none(),
        to_field_name="slug",
        label="Cluster",
        empty_label="choose a cluster",
    )
    show_publicly = forms.BooleanField(
        required=False,
        initial=True,
        label="Show our organisation on the cluster's public profile",
        help_text="Untick to be a member that only the cluster's managers know about. You "
        "can change this later.",
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        required=False,
        label="Message to the cluster's managers",
        help_text="Optional: e.g. since when you are a member, your contact at the cluster.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = (
            Cluster.objects.public().select_related("country").order_by("name")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MESSAGE_MAX,
        required=False,
        label="Reason (sent to them)",
    )

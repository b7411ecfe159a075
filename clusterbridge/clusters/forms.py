"""Forms of the cluster pages: a cluster profile (proposal and edits), moderation reasons,
manager links and invitations."""

from django import forms

from clusterbridge.clusters.models import Cluster
from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.taxonomy.models import Country, Term


class LinesField(forms.CharField):
    """A list of short texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ClusterForm(VersionedFormMixin, forms.ModelForm):
    domains = LinesField(
        required=False,
        label="Vertical market / domains",
        help_text="One per line, in your own words.",
    )
    country = forms.ModelChoiceField(Country.objects.all(), to_field_name="code", required=False)
    website = forms.URLField(max_length=500, required=False, assume_scheme="https")
    contact_form_url = forms.URLField(
        label="Contact web form", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Cluster
        fields = [*Cluster.VALUE_FIELDS, *Cluster.TERM_FIELDS]
        widgets = dict.fromkeys(
            ("sectors", "ecosystems", "technologies", "services"), forms.CheckboxSelectMultiple
        )
        help_texts = {
            "contact_email": "The organisation's public address (not a person's).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in Cluster.TERM_FIELDS.items():
            self.fields[name].queryset = Term.objects.filter(vocabulary=vocabulary)
            self.fields[name].to_field_name = "code"
        if self.instance.pk and self.instance.country_id:
            # The field names countries by code: its initial value is the country, not its id.
            self.initial["country"] = self.instance.country


class GrantManagerForm(forms.Form):
    user = forms.CharField(label="Username or e-mail of the manager", max_length=254)
    role = forms.ChoiceField(choices=[("owner", "Owner"), ("co-manager", "Co-manager")])
    trusted = forms.BooleanField(
        required=False, help_text="A trusted manager's edits are published at once."
    )


class InviteForm(forms.Form):
    user = forms.CharField(
        label="Username or e-mail of your colleague",
        max_length=254,
        help_text="Your colleague needs an account on this site.",
    )


class ClaimForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Your role in the cluster organisation",
        help_text="Read by the administrator who approves your claim.",
    )

"""Forms of the marketplace pages. They read the input; the model (through `services.posts`)
validates the record with the same checks as the API."""

from django import forms

from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.funding.forms import FeatureCheckboxes, grouped_feature_choices
from clusterbridge.funding.models import Instrument
from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import MESSAGE_MAX, Post
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term


class DateInput(forms.DateInput):
    input_type = "date"


class PostForm(VersionedFormMixin, forms.ModelForm):
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Offered to, or sought in, these countries. None chosen: anywhere.",
    )
    funding_call = forms.ModelChoiceField(
        Instrument.objects.none(),
        required=False,
        empty_label="none",
        help_text="Partner searches: the call the project applies to.",
    )

    class Meta:
        model = Post
        fields = [*Post.VALUE_FIELDS, *Post.M2M_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "roles_sought": forms.Textarea(attrs={"rows": 3}),
            "features": FeatureCheckboxes,
            "ecosystems": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "valid_until": DateInput,
            "disrupted_since": DateInput,
            "kind": forms.RadioSelect,
            "urgency": forms.RadioSelect,
        }
        labels = {"valid_until": "Valid until (closing date)", "kind": "Kind of post"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = services.member_organisations(user)
        if self.instance.organisation_id:
            # An administrator edits a post of an organisation they are not a member of.
            organisations = (
                organisations | Organisation.objects.filter(pk=self.instance.organisation_id)
            ).distinct()
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        # Application domains are the industrial ecosystems, chosen once, under "ecosystems".
        self.fields["features"].queryset = Feature.objects.exclude(category__code="A")
        self.fields["features"].choices = grouped_feature_choices(exclude=("A",))
        for name, vocabulary in Post.TERM_FIELDS.items():
            self.fields[name].queryset = Term.objects.filter(vocabulary=vocabulary)
        self.fields["funding_call"].queryset = Instrument.objects.filter(kind="call").order_by(
            "name"
        )
        organisation = self.instance.organisation if self.instance.organisation_id else None
        if organisation is None and len(organisations) == 1:
            organisation = organisations[0]
        clusters = (
            services.validating_clusters(organisation)
            if organisation is not None
            else services.validating_clusters_of_user(user)
        )
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = "the only one, or none"
        self.fields["cluster"].help_text = (
            "The cluster that pre-validates the post and appears as its contact. An "
            "organisation in no cluster goes straight to the platform's moderators."
        )
        if self.instance.pk is None and "countries" not in self.initial:
            self.initial.setdefault("urgency", "normal")
        if self.instance.pk is not None:
            self.initial["countries"] = [c.code for c in self.instance.countries.all()]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MESSAGE_MAX,
        label="Reason (sent to the author)",
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX,
        label="Your message",
        help_text="Sent through ClusterBridge to the organisation's members; your e-mail "
        "address is not shown to them.",
    )
    organisation = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="only my name", label="On behalf of"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.member_organisations(user)

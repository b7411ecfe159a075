"""Forms of the event pages. Times are typed in the event's time zone and converted to UTC
here (DST-safe through zoneinfo); the services validate the record."""

import datetime
import zoneinfo

from django import forms

from clusterbridge.accounts import roles
from clusterbridge.clusters.models import Cluster, Network
from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.events.matchmaking import PROFILE_FIELDS
from clusterbridge.events.models import Event, Participant, validate_time_zone
from clusterbridge.funding.forms import FeatureCheckboxes, grouped_feature_choices
from clusterbridge.funding.models import Instrument
from clusterbridge.organisations.models import Membership, Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary

TIME_FIELDS = ("start", "end", "registration_opens", "registration_closes")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


def to_utc(value: datetime.datetime | None, zone: str) -> datetime.datetime | None:
    """A wall-clock time in `zone` as an aware datetime (the earlier one in the repeated
    hour of a DST change; a time in the skipped hour moves forward)."""
    if value is None:
        return None
    naive = value.replace(tzinfo=None)
    tz = zoneinfo.ZoneInfo(zone)
    aware = naive.replace(tzinfo=tz)
    # Round-trip: a time that does not exist (spring forward) normalises forward.
    return aware.astimezone(datetime.UTC).astimezone(tz)


class EventForm(VersionedFormMixin, forms.ModelForm):
    country = forms.ModelChoiceField(
        Country.objects.all(), to_field_name="code", required=False, empty_label="not stated"
    )
    time_zone = forms.CharField(
        initial="Europe/Brussels",
        validators=[validate_time_zone],
        help_text="All times of this form are in this time zone, e.g. Europe/Brussels.",
    )
    online_url = forms.URLField(
        max_length=500, required=False, assume_scheme="https", label="Online link"
    )
    meeting_sessions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Meeting sessions (brokerage events)",
        help_text="One per line, in the event's time zone: 2026-03-10 09:00-12:30",
    )

    class Meta:
        model = Event
        fields = [*Event.VALUE_FIELDS, "funding_calls", "ecosystems", "features"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "questions": forms.Textarea(attrs={"rows": 3}),
            "features": FeatureCheckboxes,
            "ecosystems": forms.CheckboxSelectMultiple,
            **{name: LocalDateTimeInput() for name in TIME_FIELDS},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in TIME_FIELDS:
            self.fields[name].input_formats = [LOCAL_INPUT, "%Y-%m-%d %H:%M"]
        instance = self.instance
        if instance.pk:
            for name in TIME_FIELDS:
                value = getattr(instance, name)
                if value:
                    self.initial[name] = instance.local(value).replace(tzinfo=None)
            if instance.country_id:
                self.initial["country"] = instance.country.code
            self.initial["meeting_sessions"] = "\n".join(
                f"{instance.local(s.start):%Y-%m-%d %H:%M}-{instance.local(s.end):%H:%M}"
                for s in instance.sessions.all()
            )
        clusters = Cluster.objects.public()
        if not roles.is_editor(user):
            clusters = clusters.filter(manager_links__user=user, manager_links__approved=True)
            del self.fields["organiser_network"]
        else:
            self.fields["organiser_network"].queryset = Network.objects.all()
        self.fields["organiser_cluster"].queryset = clusters
        self.fields["organiser_cluster"].required = not roles.is_editor(user)
        self.fields["funding_calls"].queryset = Instrument.objects.order_by("name")
        self.fields["funding_calls"].required = False
        self.fields["features"].queryset = Feature.objects.all()
        self.fields["features"].choices = grouped_feature_choices()
        self.fields["ecosystems"].queryset = Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS)

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone") or "UTC"
        if "time_zone" in self.errors:
            return data
        for name in TIME_FIELDS:
            if data.get(name):
                data[name] = to_utc(data[name], zone)
        data["session_list"] = []
        for number, line in enumerate((data.get("meeting_sessions") or "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                day, hours = line.split(" ", 1)
                first, last = (part.strip() for part in hours.split("-"))
                start = datetime.datetime.strptime(f"{day} {first}", "%Y-%m-%d %H:%M")
                end = datetime.datetime.strptime(f"{day} {last}", "%Y-%m-%d %H:%M")
            except ValueError:
                self.add_error(
                    "meeting_sessions", f"Line {number}: write it as 2026-03-10 09:00-12:30."
                )
                continue
            start, end = to_utc(start, zone), to_utc(end, zone)
            if end <= start:
                self.add_error(
                    "meeting_sessions", f"Line {number}: the session ends before it starts."
                )
            elif (
                data.get("start")
                and data.get("end")
                and (start < data["start"] or end > data["end"])
            ):
                self.add_error("meeting_sessions", f"Line {number}: outside the event's dates.")
            else:
                data["session_list"].append((start, end))
        return data


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(),
        required=False,
        empty_label="Only myself",
        label="I register for",
    )

    def __init__(self, *args, event: Event, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user, memberships__status=Membership.Status.ACTIVE
        )
        for number, question in enumerate(event.question_list):
            self.fields[f"answer_{number}"] = forms.CharField(
                label=question, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def answers(self) -> dict:
        return {
            q: self.cleaned_data.get(f"answer_{n}", "")
            for n, q in enumerate(self.event.question_list)
        }


class ProfileForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = list(PROFILE_FIELDS)
        widgets = {
            "offers": forms.Textarea(attrs={"rows": 4}),
            "seeks": forms.Textarea(attrs={"rows": 4}),
            "offer_features": FeatureCheckboxes,
            "seek_features": FeatureCheckboxes,
            "ecosystems": forms.CheckboxSelectMultiple,
            "available_slots": forms.CheckboxSelectMultiple,
        }
        labels = {
            "offer_features": "Features we offer",
            "seek_features": "Features we seek",
            "available_slots": "When I am available",
        }
        help_texts = {"available_slots": "Tick none to be available in every slot."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("offer_features", "seek_features"):
            self.fields[name].queryset = Feature.objects.all()
            self.fields[name].choices = grouped_feature_choices()
        self.fields["ecosystems"].queryset = Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS)
        event = self.instance.event
        self.fields["available_slots"].queryset = event.slots.all()
        self.fields["available_slots"].label_from_instance = lambda slot: (
            f"{event.local(slot.start):%a %d %b %H:%M}–{event.local(slot.end):%H:%M}"
        )


class RequestForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Message",
        help_text="Why you would like to meet.",
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, label="How useful was it (1–5)?"
    )
    follow_up = forms.BooleanField(required=False, label="We will follow up")

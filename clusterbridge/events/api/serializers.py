"""Events as JSON. Participants show only their public profile fields (never an e-mail
address); registrations, meeting requests and agendas are served to their own people."""

from rest_framework import serializers

from clusterbridge.clusters.models import Cluster, Network
from clusterbridge.core.api import ServiceSerializer
from clusterbridge.events.matchmaking import PROFILE_FIELDS
from clusterbridge.events.models import Event, MeetingRequest, Participant, Registration, Slot
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary


class CodeField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": "Unknown code: {value}.", "invalid": "Invalid."}

    def __init__(self, queryset, slug_field="code", **kwargs):
        super().__init__(slug_field=slug_field, queryset=queryset, **kwargs)


class EventSerializer(ServiceSerializer):
    """Times are ISO 8601 with their offset (stored in UTC); `time_zone` is the zone the
    organiser enters and pages show them in."""

    page = serializers.CharField(source="get_absolute_url", read_only=True)
    organiser_cluster = CodeField(
        Cluster.objects.all(), slug_field="slug", allow_null=True, required=False
    )
    organiser_network = CodeField(Network.objects.all(), allow_null=True, required=False)
    organiser = serializers.CharField(source="organiser_name", read_only=True)
    country = CodeField(Country.objects.all(), allow_null=True, required=False)
    ecosystems = CodeField(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS), many=True, required=False
    )
    features = CodeField(Feature.objects.all(), many=True, required=False)
    funding_calls = CodeField(
        Instrument.objects.all(), slug_field="identifier", many=True, required=False
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "page",
            "organiser",
            *Event.VALUE_FIELDS,
            "funding_calls",
            "ecosystems",
            "features",
            "version",
        ]
        read_only_fields = ["slug", "version"]


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "event", "organisation", "status", "answers", "queued_at", "cancelled_at"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    organisation = serializers.SlugField(required=False, allow_blank=True)
    answers = serializers.DictField(child=serializers.CharField(), required=False)


class ParticipantSerializer(serializers.ModelSerializer):
    """Public profile fields only."""

    organisation = serializers.CharField(source="organisation.name", default=None)
    organisation_type = serializers.CharField(source="organisation.type", default=None)
    country = serializers.CharField(source="organisation.country.code", default=None)
    offer_features = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    seek_features = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    ecosystems = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "display_name",
            "organisation",
            "organisation_type",
            "country",
            "offers",
            "seeks",
            "offer_features",
            "seek_features",
            "ecosystems",
        ]
        read_only_fields = fields


class MeetingRequestSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sender = ParticipantSerializer(read_only=True)
    receiver = ParticipantSerializer(read_only=True)
    receiver_id = serializers.IntegerField(write_only=True)
    slot_start = serializers.DateTimeField(source="slot.start", read_only=True, default=None)
    slot_end = serializers.DateTimeField(source="slot.end", read_only=True, default=None)

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "event",
            "sender",
            "receiver",
            "receiver_id",
            "message",
            "status",
            "slot_start",
            "slot_end",
            "table",
            "video_url",
        ]
        read_only_fields = ["status", "table", "video_url"]


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Slot
        fields = ["id", "start", "end"]
        read_only_fields = fields


class SlotField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "Not a meeting slot of this event: {pk_value} (see `slots`).",
        "incorrect_type": "A slot is given by its id (a number), not {data_type}.",
    }


class ProfileSerializer(ServiceSerializer):
    """My matchmaking profile at an event, written through the profile's service as the
    profile page writes it. `available_slots` are ids of the event's `slots` (none: every
    slot); features and ecosystems are codes."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    offer_features = CodeField(Feature.objects.all(), many=True, required=False)
    seek_features = CodeField(Feature.objects.all(), many=True, required=False)
    ecosystems = CodeField(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS), many=True, required=False
    )
    available_slots = SlotField(many=True, required=False, queryset=Slot.objects.none())
    slots = SlotSerializer(source="event.slots", many=True, read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "event", *PROFILE_FIELDS, "slots", "version"]
        read_only_fields = ["id", "event", "slots", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["available_slots"].child_relation.queryset = event.slots.all()

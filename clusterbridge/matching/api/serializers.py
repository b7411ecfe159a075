from rest_framework import serializers


class FeatureRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class InstrumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    origin = serializers.CharField()
    country = serializers.CharField(source="country.code", allow_null=True, default=None)
    url = serializers.CharField(allow_null=True)


class MatchSerializer(serializers.Serializer):
    """One ranked instrument with its score and the reasons."""

    rank = serializers.IntegerField()
    instrument = serializers.SerializerMethodField()
    score = serializers.FloatField(source="match.score")
    shared = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    deadline = serializers.DateField(source="match.deadline", allow_null=True)
    status = serializers.CharField(source="match.status")
    incomplete_at_source = serializers.BooleanField(source="match.incomplete")
    opening_date = serializers.DateField(source="match.opening_date", allow_null=True)
    explanation = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), source="match.reasons")

    def get_instrument(self, result) -> dict:
        instrument = result.instrument
        return {
            "id": instrument.pk,
            "name": instrument.name,
            "origin": instrument.origin,
            "country": instrument.country.code if instrument.country_id else None,
            "url": result.url,
        }

    def get_shared(self, result) -> list[dict]:
        return [{"code": c, "label": label} for c, label in result.shared]

    def get_missing(self, result) -> list[dict]:
        return [{"code": c, "label": label} for c, label in result.missing]

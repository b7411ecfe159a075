from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from clusterbridge.suggestions.engine import LANGUAGES, suggest
from clusterbridge.taxonomy.models import Feature

MAX_TEXT = 20_000


class AnonSuggestThrottle(AnonRateThrottle):
    scope = "suggest-anon"
    rate = "60/min"


class UserSuggestThrottle(UserRateThrottle):
    scope = "suggest-user"
    rate = "240/min"


class SuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_TEXT,
        error_messages={
            "blank": "Give the description to read: text is empty.",
            "max_length": f"The text is too long: at most {MAX_TEXT:,} characters.",
        },
    )
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        allow_null=True,
        help_text="ISO 639-1 code; guessed from the text when absent.",
    )


class SuggestedFeatureSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    score = serializers.FloatField()
    evidence = serializers.ListField(
        child=serializers.CharField(),
        help_text="The words of the text that matched the feature's terms; where no term "
        "matched (term_matched false), the words the trained model weighed most.",
    )
    term_matched = serializers.BooleanField(
        help_text="False when no term of the feature matched and the trained model alone "
        "read the feature in the text (then the score is 0)."
    )
    model_probability = serializers.FloatField(
        allow_null=True,
        help_text="Null when the words alone suggest the feature; otherwise they only partly "
        "match it (or not at all) and this is the trained model's probability that the text "
        "states it.",
    )


class SuggestResponseSerializer(serializers.Serializer):
    features = SuggestedFeatureSerializer(many=True)


class SuggestFeaturesView(APIView):
    """Suggest taxonomy features from a description, with the words that triggered each."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonSuggestThrottle, UserSuggestThrottle]
    serializer_class = SuggestRequestSerializer

    @extend_schema(
        request=SuggestRequestSerializer, responses=SuggestResponseSerializer, tags=["suggestions"]
    )
    def post(self, request):
        query = SuggestRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        found = suggest(query.validated_data["text"], language=query.validated_data.get("language"))
        labels = dict(
            Feature.objects.filter(code__in=[s.code for s in found]).values_list("code", "label")
        )
        features = [
            {
                "code": s.code,
                "label": labels[s.code],
                "score": s.score,
                "evidence": s.evidence,
                "term_matched": s.term_matched,
                "model_probability": s.model_probability,
            }
            for s in found
            if s.code in labels
        ]
        return Response(SuggestResponseSerializer({"features": features}).data)

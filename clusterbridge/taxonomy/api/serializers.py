from rest_framework import serializers

from clusterbridge.taxonomy.models import Country, Feature, Term


class FeatureSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True)
    category_label = serializers.CharField(source="category.label", read_only=True)

    class Meta:
        model = Feature
        fields = ["code", "label", "category", "category_label"]


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["vocabulary", "code", "label", "group"]


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "label", "alpha3", "groups"]

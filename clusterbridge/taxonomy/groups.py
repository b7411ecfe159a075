"""The feature taxonomy as pages and matrices use it: categories with their features in
order, and features as the rows of a records × features matrix (seed 001 figures 1–2)."""

from django.db.models import Prefetch, QuerySet

from clusterbridge.taxonomy.models import Feature, FeatureCategory


def feature_groups() -> QuerySet:
    """Feature categories with their features, for grouped checkboxes."""
    return FeatureCategory.objects.prefetch_related(
        Prefetch("features", queryset=Feature.objects.order_by("order"))
    )


def with_feature_codes(queryset: QuerySet) -> QuerySet:
    """Records with their features' codes prefetched (one query for all of them)."""
    return queryset.prefetch_related(Prefetch("features", queryset=Feature.objects.only("code")))


def feature_rows(columns: list[set[str]]) -> list[list]:
    """One row per feature, grouped by category as in the document: category, “code label”,
    then "Y" in each column whose codes include it."""
    features = Feature.objects.select_related("category").order_by("category__order", "order")
    return [
        [
            feature.category.label,
            f"{feature.code} {feature.label}",
            *("Y" if feature.code in codes else "" for codes in columns),
        ]
        for feature in features
    ]

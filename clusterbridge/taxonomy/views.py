from django.db.models import Prefetch
from django.shortcuts import render

from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory, Term, Vocabulary


def index(request):
    categories = FeatureCategory.objects.prefetch_related(
        Prefetch("features", queryset=Feature.objects.order_by("order"))
    )
    terms = list(Term.objects.all())
    vocabularies = [
        {"code": value, "label": label, "terms": [t for t in terms if t.vocabulary == value]}
        for value, label in Vocabulary.choices
    ]
    return render(
        request,
        "taxonomy/index.html",
        {
            "categories": categories,
            "vocabularies": vocabularies,
            "countries": Country.objects.all(),
        },
    )

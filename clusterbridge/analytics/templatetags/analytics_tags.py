"""`{% specialisation_of cluster %}`: on a cluster's profile, "located in a specialisation
node for …" when its region is a node of the latest imported regional dataset."""

from django import template

from clusterbridge.analytics import regional
from clusterbridge.taxonomy.models import Term, Vocabulary

register = template.Library()


@register.inclusion_tag("analytics/_cluster_specialisation.html")
def specialisation_of(cluster) -> dict:
    dataset = regional.latest_dataset()
    if dataset is None or not cluster.country_id:
        return {"nodes": []}
    geo = regional.region_of(cluster.country.code, cluster.region, dataset)
    if geo is None:
        return {"nodes": []}
    choice = regional.choose(dataset)
    ecosystems = dict(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).values_list("code", "label")
    )
    by_eco = regional.cached_analysis(choice, by_ecosystem=True).for_region(geo)
    by_industry = regional.cached_analysis(choice, by_ecosystem=False).for_region(geo)
    labels = dataset.industry_labels or {}
    nodes = [ecosystems.get(r.industry, r.industry) for r in by_eco if r.is_node]
    nodes += [
        f"{r.industry} {labels.get(r.industry, '')}".strip() for r in by_industry if r.is_node
    ]
    return {
        "nodes": nodes,
        "geo": geo,
        "label": (dataset.geo_labels or {}).get(geo, ""),
        "dataset": dataset,
        "citation": f"{dataset.citation()}, {choice.period}",
    }

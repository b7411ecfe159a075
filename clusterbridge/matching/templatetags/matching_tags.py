from django import template

from clusterbridge.matching.services import profile_for, results_for

register = template.Library()


@register.inclusion_tag("matching/fits_panel.html")
def funding_that_fits(record, limit: int = 10):
    """The best open instruments for a record described by features (a project…), ranked
    with their reasons, for its page."""
    features = list(record.features.all())
    count, results = results_for(profile_for(record), limit=limit) if features else (0, [])
    return {"record": record, "features": features, "results": results, "match_count": count}

from django import template

from clusterbridge.marketplace.models import Kind, Post

register = template.Library()


@register.simple_tag
def partner_searches_for(instrument) -> list[Post]:
    """The published partner searches that name this funding call."""
    if instrument is None or getattr(instrument, "pk", None) is None:
        return []
    return list(
        Post.objects.public()
        .filter(kind=Kind.PARTNER_SEARCH, funding_call=instrument)
        .select_related("organisation")
        .order_by("valid_until", "pk")
    )

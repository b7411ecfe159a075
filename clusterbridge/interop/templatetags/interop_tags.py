"""`{% load interop_tags %}{% export_links "instruments" %}` on a list page: download links
for the records of that list, with the page's own filters (its query string)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("interop/_export_links.html", takes_context=True)
def export_links(context, record_type: str):
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "csv": reverse("interop:export", args=[record_type, "csv"]) + suffix,
        "xlsx": reverse("interop:export", args=[record_type, "xlsx"]) + suffix,
    }

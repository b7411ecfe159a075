"""The published list of the marketplace as a spreadsheet (CSV or XLSX), with the page's
filters. Written through the one spreadsheet writer (`core.spreadsheets`), which makes every
text cell that a spreadsheet program would run as a formula inert (= + - @ tab CR). Only
what the public list shows is exported: published, still valid, real posts of live
organisations — the list's own queryset."""

from django.db.models import Prefetch

from clusterbridge.core.spreadsheets import rows_response
from clusterbridge.marketplace.models import Post
from clusterbridge.notifications.services import absolute
from clusterbridge.taxonomy.models import Country, Feature, Term

# A download holds at most this many posts (the first ones in the list's order); the list
# page says how to narrow it down.
EXPORT_MAX = 10_000
HEADER = [
    "Id",
    "Kind",
    "Title",
    "Organisation",
    "Description",
    "Roles sought",
    "Features",
    "Industrial ecosystems",
    "Sectors",
    "Countries",
    "Quantity",
    "Unit",
    "Urgency",
    "Valid until / closing date",
    "Funding call",
    "Validated by cluster",
    "Value-chain disruption",
    "Published",
    "Interest",
    "Partner found",
    "Page",
]


def export_queryset(queryset):
    """The filtered list, with what the rows show loaded in a fixed number of queries."""
    # The list's own prefetches are replaced by ordered ones.
    return (
        queryset.select_related("organisation", "cluster", "funding_call", "partner_organisation")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("features", queryset=Feature.objects.order_by("code")),
            Prefetch("ecosystems", queryset=Term.objects.order_by("label")),
            Prefetch("sectors", queryset=Term.objects.order_by("label")),
            Prefetch("countries", queryset=Country.objects.order_by("label")),
        )
    )


def _names(items, attribute: str = "label") -> str:
    return "; ".join(getattr(item, attribute) for item in items)


def row(post: Post) -> list:
    if post.partner_found_at:
        partner = post.partner_organisation.name if post.partner_organisation else ""
        found = f"{post.partner_found_at:%Y-%m-%d}" + (
            f" ({partner or post.partner_name})" if partner or post.partner_name else ""
        )
    else:
        found = ""
    return [
        post.pk,
        post.get_kind_display(),
        post.title,
        post.organisation.name,
        post.description,
        post.roles_sought,
        "; ".join(f"{f.code} {f.label}" for f in post.features.all()),
        _names(post.ecosystems.all()),
        _names(post.sectors.all()),
        _names(post.countries.all()) or "Any country",
        post.quantity,
        post.unit,
        post.get_urgency_display(),
        post.valid_until.isoformat() if post.valid_until else "",
        post.funding_call.name if post.funding_call else "",
        post.cluster.name if post.cluster else "",
        (
            f"{post.disrupted_supply}"
            + (f" (since {post.disrupted_since:%Y-%m-%d})" if post.disrupted_since else "")
            if post.is_disruption
            else ""
        ),
        f"{post.published_at:%Y-%m-%d}" if post.published_at else "",
        "closed" if post.interest_closed_at else "open",
        found,
        absolute(post.get_absolute_url()),
    ]


def rows(queryset):
    yield HEADER
    for post in export_queryset(queryset)[:EXPORT_MAX].iterator(chunk_size=500):
        yield row(post)


def download(queryset, fmt: str):
    return rows_response(fmt, "marketplace-posts", rows(queryset), title="Posts")

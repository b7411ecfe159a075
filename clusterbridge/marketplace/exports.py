"""The published list of the marketplace as a spreadsheet (CSV or XLSX), with the page's
filters. Written through the one spreadsheet writer (`core.spreadsheets`), which makes every
text cell that a spreadsheet program would run as a formula inert (= + - @ tab CR). Only
what the public list shows is exported: published, still valid, real posts of live
organisations — the list's own queryset."""

from django.urls import reverse

from clusterbridge.core.spreadsheets import rows_response
from clusterbridge.marketplace.matching import Vocabulary
from clusterbridge.marketplace.models import Post
from clusterbridge.notifications.services import absolute

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


COLUMNS = (
    "kind",
    "title",
    "description",
    "roles_sought",
    "quantity",
    "unit",
    "urgency",
    "valid_until",
    "is_disruption",
    "disrupted_supply",
    "disrupted_since",
    "published_at",
    "interest_closed_at",
    "partner_found_at",
    "partner_name",
    "organisation__name",
    "cluster__name",
    "funding_call__name",
    "partner_organisation__name",
)
CHUNK = 1000


def export_queryset(queryset):
    """The filtered list with the names the rows show, reading only the columns written
    (provenance and search text would be decoded for nothing)."""
    related = ("organisation", "cluster", "funding_call", "partner_organisation")
    return queryset.select_related(*related).only(*COLUMNS).prefetch_related(None)


def _links(ids: list[int], vocabulary: Vocabulary) -> dict[str, dict[int, list[str]]]:
    """The features, ecosystems, sectors and countries of these posts, as the words shown:
    four queries on the link tables per chunk, the labels from the vocabulary in memory."""
    found: dict[str, dict[int, list[str]]] = {}
    for relation, column, label in (
        ("features", "feature_id", lambda pk: vocabulary.features[pk][1]),
        ("ecosystems", "term_id", lambda pk: vocabulary.terms[pk][1]),
        ("sectors", "term_id", lambda pk: vocabulary.terms[pk][1]),
        ("countries", "country_id", lambda pk: vocabulary.countries[pk][1]),
    ):
        by_post: dict[int, list[str]] = {}
        through = getattr(Post, relation).through
        for post_id, pk in through.objects.filter(post_id__in=ids).values_list("post_id", column):
            by_post.setdefault(post_id, []).append(label(pk))
        found[relation] = {pk: sorted(names) for pk, names in by_post.items()}
    return found


def row(post: Post, links: dict[str, dict[int, list[str]]], site: str) -> list:
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
        "; ".join(links["features"].get(post.pk, [])),
        "; ".join(links["ecosystems"].get(post.pk, [])),
        "; ".join(links["sectors"].get(post.pk, [])),
        "; ".join(links["countries"].get(post.pk, [])) or "Any country",
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
        f"{site}{post.pk}/",  # the post's page (`marketplace:detail`)
    ]


def rows(queryset):
    yield HEADER
    vocabulary = Vocabulary.load()
    chunk: list[Post] = []
    for post in export_queryset(queryset)[:EXPORT_MAX].iterator(chunk_size=CHUNK):
        chunk.append(post)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, vocabulary)
            chunk = []
    yield from _chunk_rows(chunk, vocabulary)


def _chunk_rows(chunk: list[Post], vocabulary: Vocabulary):
    if not chunk:
        return
    links = _links([post.pk for post in chunk], vocabulary)
    site = absolute(reverse("marketplace:list"))
    for post in chunk:
        yield row(post, links, site)


def download(queryset, fmt: str):
    return rows_response(fmt, "marketplace-posts", rows(queryset), title="Posts")

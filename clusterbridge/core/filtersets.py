"""What the searchable directory FilterSets (clusters, organisations, marketplace) share: the
full-text `q` filter, the facets' view of the results before sorting, and the rule that a
search with no chosen order ranks by relevance."""

import django_filters

from clusterbridge.core.search import search, search_filter


class SearchableFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        help_text="Full-text search, every word as a prefix; ranked by relevance.",
    )

    def filter_q(self, queryset, name, value):
        # Ranking (a join with the full-text index) is added last, in `qs`, when sorting by
        # relevance; filtering stays a plain subquery that nests in the facet counts.
        return search_filter(queryset, value)

    def filter_nothing(self, queryset, name, value):
        """For `ordering`: a form field only, applied by `qs` after filtering."""
        return queryset

    @property
    def valid_data(self) -> dict:
        return self.form.cleaned_data if self.is_bound and self.is_valid() else {}

    @property
    def query(self) -> str:
        return (self.valid_data.get("q") or "").strip()

    @property
    def searching(self) -> bool:
        return bool(self.query)

    @property
    def filtered(self):
        """The matching records, not yet sorted (what the facets count)."""
        return super().qs

    def ranked(self, queryset, *tie_breakers: str):
        """The search results by relevance, then `tie_breakers`; counted (for the pager) on
        the unranked queryset, which needs no join with the full-text index."""
        ranked = search(queryset, self.query).order_by("-search_rank", *tie_breakers)
        return ranked.counted_by(queryset)

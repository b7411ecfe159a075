"""The one filter panel of list pages (core.filter_panel): chips that name each active
filter and remove it, the way out of an empty result computed by counting, parameters it
does not show kept on submission, and the panel's HTML contract."""

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory

from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    Option,
    options,
    other_filter_counts,
    selected,
)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Free text")
    ordering = forms.ChoiceField(choices=[("name", "Name"), ("-name", "Name, Z–A")], required=False)


def panel_for(query: str, *, total=3, count=None) -> FilterPanel:
    request = RequestFactory().get(f"/things/?{query}")
    form = SearchForm(request.GET)
    form.is_valid()
    return FilterPanel(
        request,
        [
            Fields("", [form["q"]]),
            Facet(
                "country",
                "Country",
                options(
                    [("LT", "Lithuania"), ("DK", "Denmark")],
                    {"LT": 2, "DK": 1},
                    selected(request, "country"),
                ),
            ),
            Facet(
                "status",
                "Status",
                options(
                    [("open", "Open"), ("closed", "Closed"), ("all", "All")],
                    None,
                    [request.GET.get("status") or "open"],
                ),
                multiple=False,
                default="open",
                unfiltered="all",
            ),
            Fields("", [form["ordering"]], chips=False),
        ],
        total=total,
        noun=("thing", "things"),
        count=count,
    )


def test_each_active_filter_is_a_chip_named_by_its_label_that_removes_it():
    panel = panel_for("q=drone&country=LT&country=DK&status=closed&ordering=name&page=3")
    chips = {chip.label: chip.remove_url for chip in panel.chips}
    assert chips == {
        "Free text: drone": "/things/?country=LT&country=DK&status=closed&ordering=name",
        "Country: Lithuania": "/things/?q=drone&country=DK&status=closed&ordering=name",
        "Country: Denmark": "/things/?q=drone&country=LT&status=closed&ordering=name",
        # Removing a radio filter goes back to its default (open).
        "Status: Closed": "/things/?q=drone&country=LT&country=DK&ordering=name",
    }


def test_defaults_and_presentation_are_not_chips():
    assert panel_for("status=open&ordering=-name").chips == []


def test_comma_separated_values_are_removed_one_by_one():
    chips = {c.label: c.remove_url for c in panel_for("country=LT,DK").chips}
    assert chips["Country: Lithuania"] == "/things/?country=DK"


def test_an_empty_result_names_each_filter_with_the_count_without_it():
    counted = []

    def count(query: QueryDict) -> int:
        counted.append(query.urlencode())
        return {"country=LT&status=all": 5, "status=closed": 4}.get(query.urlencode(), 0)

    panel = panel_for("country=LT&status=closed", total=0, count=count)
    ways = [(r.label, r.count, r.url) for r in panel.relaxations]
    assert ways == [
        # A radio filter's way out is "no restriction", not its default.
        ("Status: Closed", 5, "/things/?country=LT&status=all"),
        ("Country: Lithuania", 4, "/things/?status=closed"),
    ]
    assert sorted(counted) == ["country=LT&status=all", "status=closed"]


def test_no_relaxation_when_there_are_results_or_nothing_helps():
    assert panel_for("country=LT", total=2, count=lambda q: 9).relaxations == []
    assert panel_for("country=LT", total=0, count=lambda q: 0).relaxations == []
    html = render_to_string(
        "partials/filter_empty.html", {"panel": panel_for("country=LT", total=0, count=lambda q: 0)}
    )
    assert "removing any one of them still leaves nothing" in html


def test_parameters_the_panel_does_not_show_are_kept_but_not_the_page():
    panel = panel_for("country=LT&origin_country=DK&page=2&format=csv")
    assert panel.hidden == [("origin_country", "DK")]
    html = render_to_string("partials/filter_panel.html", {"panel": panel})
    assert '<input type="hidden" name="origin_country" value="DK">' in html
    assert 'name="page"' not in html


def test_the_panel_renders_labelled_controls_and_the_show_button():
    html = render_to_string("partials/filter_panel.html", {"panel": panel_for("country=LT")})
    assert 'id="filters"' in html and "data-filter-panel" in html and 'role="search"' in html
    assert 'href="#filters"' in html and "(1 active)" in html
    assert (
        '<input type="checkbox" id="f-country-1" name="country" value="LT" checked> Lithuania '
        '<span class="count" aria-label="2 results">(2)</span>'
    ) in html
    assert '<input type="radio" id="f-status-1" name="status" value="open" checked>' in html
    assert 'data-total="3" data-one="thing" data-many="things">Show results</button>' in html


def test_a_folded_facet_opens_when_one_of_its_values_is_ticked():
    closed = Facet("feature", "Techniques", [Option("T1", "AI (ML)", 3)], folded=True)
    ticked = Facet("feature", "Techniques", [Option("T1", "AI (ML)", 3, True)], folded=True)
    assert not closed.is_open and ticked.is_open
    html = render_to_string("partials/filter_facet.html", {"facet": ticked})
    assert "<details" in html and " open>" in html and "(1 ticked)" in html


def test_links_facets_set_their_parameter_without_chips():
    request = RequestFactory().get("/clusters/?country=SE&page=2")
    panel = FilterPanel(
        request,
        [Facet("domain", "Frequent domains", [Option("ict", "ICT", 4)], links=True)],
        total=4,
    )
    assert panel.facets[0].options[0].url == "/clusters/?country=SE&domain=ict"
    assert panel.chips == []


def test_other_filter_counts_apply_every_other_filter(db):
    from clusterbridge.funding.filtersets import StrategicDocumentFilterSet
    from clusterbridge.funding.models import StrategicDocument

    def make(query):
        return StrategicDocumentFilterSet(query, queryset=StrategicDocument.objects.all())

    counts, labels = other_filter_counts(
        make, QueryDict("country=LT"), {"country": "country__code"}, {"country": "country__label"}
    )
    lithuanian = StrategicDocument.objects.filter(country__code="LT").count()
    assert counts["country"]["LT"] == lithuanian > 0
    assert labels["LT"] == "Lithuania"
    # Ticking another country widens the list: its count is not narrowed by LT.
    assert counts["country"]["DK"] == StrategicDocument.objects.filter(country__code="DK").count()

"""What the funding screens tell a first-time visitor: eligibility on every card, budget,
deadline and features by label; which filter emptied a search; the home page's way in;
a call's page with sources by title and without a wall of "not stated"."""

import copy
import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings

from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0), tick=False):
        yield


def country(code):
    return Country.objects.get(code=code)


# Eligibility ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fields,for_country,said",
    [
        ({"origin": "international", "cover_level": "eu"}, None, "EU-wide"),
        (
            {"origin": "international", "cover_level": "eu"},
            "LT",
            "EU-wide: open to applicants from Lithuania",
        ),
        (
            {"origin": "international", "cover_level": "eu"},
            "UA",
            "EU-wide: check at the source whether applicants from Ukraine may apply",
        ),
        ({"origin": "international", "cover_level": ""}, None, "International"),
        (
            {"origin": "national", "cover_level": "national", "country": "DK"},
            None,
            "Only for applicants from Denmark",
        ),
        (
            {"origin": "national", "cover_level": "national", "country": "DK"},
            "LT",
            "Only for applicants from Denmark",
        ),
        (
            {"origin": "national", "cover_level": "national", "country": "LT"},
            "LT",
            "Open to applicants from Lithuania",
        ),
        (
            {"origin": "national", "cover_level": "regional", "country": "ES"},
            None,
            "Only for applicants from a region of Spain",
        ),
    ],
)
def test_eligibility_is_derived_from_origin_cover_level_and_country(fields, for_country, said):
    fields = dict(fields)
    if "country" in fields:
        fields["country"] = country(fields["country"])
    instrument = Instrument(name="Any", **fields)
    assert instrument.eligibility(country(for_country) if for_country else None) == said


def test_every_card_states_eligibility_budget_deadline_and_features_by_label(
    client, make_instrument
):
    make_instrument(
        "Quokka vouchers",
        country="LT",
        cover_level="national",
        kind="call",
        deadline_dates=["2026-07-01"],
        budget_amount=500_000,
        budget_currency="EUR",
        features=["T1", "T5", "D2"],
        description="quokka",
    )
    make_instrument(
        "Quokka EU call",
        cover_level="eu",
        kind="call",
        features=["G3"],
        description="quokka",
        deadline_dates=["2026-09-01"],
    )
    html = client.get("/funding/", {"q": "quokka", "feature": "T5"}).content.decode()
    assert "Only for applicants from Lithuania" in html
    assert "Budget 500,000 EUR" in html
    assert "Next deadline" in html and "30 days left" in html
    assert '<li class="matched">Laser' in html  # shared with the query, first
    assert "<li>AI (ML)</li>" in html and "<li>Prototype</li>" in html
    assert ">T1<" not in html and ">D2<" not in html  # never bare codes
    html = client.get("/funding/", {"q": "quokka", "country": "LT"}).content.decode()
    assert "Open to applicants from Lithuania" in html
    html = client.get("/funding/", {"q": "quokka eu"}).content.decode()
    assert "EU-wide" in html and "Budget not stated" in html


def test_the_shortlist_button_appears_on_cards_when_an_app_provides_it(
    client, make_instrument, tmp_path
):
    make_instrument("Quokka vouchers", description="quokka", deadline_dates=["2026-09-01"])
    folder = tmp_path / "shortlist"
    folder.mkdir()
    (folder / "_toggle.html").write_text(
        '<button class="shortlist-toggle">Shortlist {{ object.name }}</button>'
    )
    assert "shortlist-toggle" not in client.get("/funding/?q=quokka").content.decode()
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        html = client.get("/funding/?q=quokka").content.decode()
    assert '<button class="shortlist-toggle">Shortlist Quokka vouchers</button>' in html


# Empty results ----------------------------------------------------------------------------
def test_an_empty_search_says_which_filter_emptied_it_and_links_without_it(client, make_instrument):
    for name, country, feature in (("Danish", "DK", "T1"), ("Lithuanian", "LT", "T2")):
        make_instrument(
            f"Quokka {name} call",
            country=country,
            features=[feature],
            description="quokka",
            deadline_dates=["2026-09-01"],
        )
    response = client.get("/funding/", {"q": "quokka", "country": "DK", "feature": "T2"})
    html = response.content.decode()
    assert "No instrument matches all these filters." in html
    assert "Without “Open to applicants from: Denmark”: 1 instrument</a>" in html
    assert "Without “Techniques: Blockchain”: 1 instrument</a>" in html
    assert 'href="/funding/?q=quokka&amp;feature=T2"' in html
    # Nothing to save or download.
    assert "Save this search" not in html and "/export/instruments" not in html


def test_closed_calls_are_offered_when_only_the_current_default_empties_the_search(
    client, make_instrument
):
    make_instrument("Quokka old call", deadline_dates=["2020-01-01"], description="quokka")
    html = client.get("/funding/", {"q": "quokka"}).content.decode()
    assert "Without “Status: Open, Forthcoming”: 1 instrument" in html
    assert 'href="/funding/?q=quokka&amp;status=all"' in html


# Home page --------------------------------------------------------------------------------
def test_home_offers_a_search_box_open_calls_and_calls_closing_in_30_days(
    client, make_instrument, django_assert_max_num_queries
):
    open_before = Instrument.objects.real().open().count()
    make_instrument("Quokka closes soon", deadline_dates=["2026-06-20", "2026-12-01"])
    make_instrument("Quokka closes later", deadline_dates=["2026-08-15"])
    make_instrument("Quokka synthetic", deadline_dates=["2026-06-10"], is_synthetic=True)
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    assert 'action="/funding/"' in html and 'name="q"' in html
    assert f"<strong>{open_before + 2}</strong> open calls and programmes" in html
    assert (
        'Quokka closes soon</a> — <time datetime="2026-06-20">20 Jun 2026</time> (19 days left)'
        in html
    )
    assert "Quokka closes later" not in html and "Quokka synthetic" not in html
    assert "deadline_after=2026-06-01&amp;deadline_before=2026-07-01" in html


# A call's page ----------------------------------------------------------------------------
def test_call_page_names_sources_by_title_and_collapses_what_is_not_stated(
    client_for, make_instrument
):
    call = make_instrument(
        "Quokka vouchers",
        country="LT",
        kind="call",
        source="Innovation Agency",
        notes="The budget line of the source is unreadable.",
    )
    Instrument.objects.filter(pk=call.pk).update(
        provenance=[{"document": "001_64a1a149fb9beb97.txt", "lines": [676, 678]}]
    )
    public = client_for("anonymous").get(f"/funding/{call.pk}/").content.decode()
    assert (
        "SecurIT D2.5: Synergy Analysis with the European Structural and Investment Funds</cite>"
        ", lines 676–678"
    ) in public
    assert "001_64a1a149fb9beb97.txt, lines" not in public
    assert "Not stated in the source: cover level, link, target organisations" in public
    assert public.count("not stated") == 0
    assert "unreadable" not in public  # editorial notes are for editors
    assert "Only for applicants from Lithuania" in public
    editor = client_for("editor").get(f"/funding/{call.pk}/").content.decode()
    assert "The budget line of the source is unreadable." in editor

"""Which instruments an alert matches: the funding search's FilterSet for saved searches, the
matching engine for saved profiles."""

import datetime
import sys

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clusterbridge.alerts import services, sources
from clusterbridge.alerts.models import SavedSearch
from tests.alerts.conftest import make_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(day):
    later = day + datetime.timedelta(days=30)
    return {
        "ai_lt": make_instrument(
            "Zephyr AI Lithuania",
            features=["T1", "D2"],
            country="LT",
            origin="national",
            deadlines=[later],
        ),
        "ai_eu": make_instrument("Zephyr AI Europe", features=["T1"], deadlines=[later]),
        "ai_es": make_instrument(
            "Zephyr AI Spain", features=["T1"], country="ES", origin="national", deadlines=[later]
        ),
        "closed": make_instrument(
            "Zephyr AI closed", features=["T1"], deadlines=[day - datetime.timedelta(days=1)]
        ),
        "drones": make_instrument("Zephyr drones", features=["T13"], deadlines=[later]),
    }


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_search_by_text_feature_and_country(calls, day):
    with time_machine.travel(day, tick=False):
        assert names(sources.search_instruments("q=zephyr&feature=T1")) == {
            "Zephyr AI Lithuania",
            "Zephyr AI Europe",
            "Zephyr AI Spain",
        }
        assert names(sources.search_instruments("?q=zephyr&feature=T1&feature=D2")) == {
            "Zephyr AI Lithuania"
        }
        # country: open to applicants from Spain (its own and the international ones).
        assert names(sources.search_instruments("q=zephyr&country=ES")) == {
            "Zephyr AI Spain",
            "Zephyr AI Europe",
            "Zephyr drones",
        }
        assert names(sources.search_instruments("q=zephyr&origin_country=ES")) == {
            "Zephyr AI Spain"
        }


def test_search_names_unknown_codes(calls):
    with pytest.raises(ValidationError, match="ZZ9"):
        sources.search_instruments("feature=ZZ9")


def test_profile_without_the_engine_takes_open_eligible_calls_sharing_a_feature(
    calls, day, monkeypatch
):
    monkeypatch.setitem(sys.modules, "clusterbridge.matching.engine", None)  # not installed
    with time_machine.travel(day, tick=False):
        ids = set(sources.profile_instrument_ids(["T1"], "LT"))
    assert calls["ai_lt"].pk in ids and calls["ai_eu"].pk in ids
    assert calls["ai_es"].pk not in ids  # another country's national call
    assert calls["closed"].pk not in ids and calls["drones"].pk not in ids


def test_profile_alert_is_ranked_by_the_matching_engine(users, calls, day):
    from clusterbridge.taxonomy.models import Country

    alert = services.save_alert(
        SavedSearch(
            name="P", kind="profile", frequency="daily", country=Country.objects.get(code="LT")
        ),
        user=users["member"],
        features=calls["ai_lt"].features.all(),
    )
    with time_machine.travel(day, tick=False):
        ids = sources.profile_instrument_ids(["T1", "D2"], "LT", on=day)
        found = names(sources.matching_instruments(alert, on=day))
    # Eligible and open only: the Spanish national call and the closed one are left out,
    # and the call sharing both features ranks first.
    assert {"Zephyr AI Lithuania", "Zephyr AI Europe"} <= found
    assert not found & {"Zephyr AI Spain", "Zephyr AI closed", "Zephyr drones"}
    assert ids[0] == calls["ai_lt"].pk

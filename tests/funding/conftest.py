import pytest

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country, Feature


@pytest.fixture
def make_instrument(db):
    """make_instrument(name, features=[codes], country="LT", **fields) → saved through history."""

    def make(name, *, features=(), country=None, user=None, **fields):
        fields.setdefault("origin", "national" if country else "international")
        instrument = Instrument(
            name=name, country=Country.objects.get(code=country) if country else None, **fields
        )
        history.save(
            instrument,
            user=user,
            m2m={"features": list(Feature.objects.filter(code__in=list(features)))},
        )
        return instrument

    return make


def result_ids(response) -> set[int]:
    """Ids of the instruments listed by the API or shown on the search page."""
    if response.get("Content-Type", "").startswith("application/json"):
        return {row["id"] for row in response.json()["results"]}
    return {instrument.pk for instrument in response.context["page"].object_list}

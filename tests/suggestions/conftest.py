import pytest
from django.core.cache import cache

from clusterbridge.suggestions import engine
from clusterbridge.suggestions.engine import Lexicon


@pytest.fixture(autouse=True)
def fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


# A lexicon of three features, for tests of how the model and the combination decide.
@pytest.fixture
def lexicon(monkeypatch):
    data = {
        "features": {
            "P3": {"en": [["anomal*", 0.6], "intrusion detection"]},
            "P7": {"en": [["collect*", 0.2]]},
            "T14": {"en": ["sensor*"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))

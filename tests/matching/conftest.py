import pytest

from clusterbridge.matching import engine


@pytest.fixture(autouse=True)
def fresh_engine():
    """Each test rolls its data back: start every test from a freshly built index."""
    engine.clear_cache()
    yield
    engine.clear_cache()

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()

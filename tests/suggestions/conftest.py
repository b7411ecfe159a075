import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle(db):
    # The shared cache is a database table by default: clearing it needs the database.
    cache.clear()
    yield
    cache.clear()

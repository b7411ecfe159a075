import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The role users are made for every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()

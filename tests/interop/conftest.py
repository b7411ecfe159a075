import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The shared users fixture hashes five passwords per test; a fast hasher keeps this
    folder quick (password strength is not what these tests check)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

import pytest


def post_login(client, login: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/account/login/", {"login": login, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def small_lockout(settings):
    """Limits small enough to reach in a test: 3 per (person, address), 8 per address."""
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "clusterbridge_login_pair": "3/900s/key",
        "clusterbridge_login_address": "8/900s/ip",
    }
    return settings

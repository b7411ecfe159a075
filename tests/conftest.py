"""Shared fixtures: reference data loaded once per test database, one user per role
(anonymous, member, editor, cluster manager, administrator), and a browser."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from clusterbridge.accounts.roles import CLUSTER_MANAGER_GROUP, EDITOR_GROUP
from tests import fast_flush, reference_snapshot

PASSWORD = "correct horse battery staple 42"
ROLES = ("anonymous", "member", "editor", "manager", "admin")


# What the one real load of this process's test database wrote (see reference_snapshot).
REFERENCE_ROWS: list = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        before = reference_snapshot.existing_ids()
        call_command("load_reference", verbosity=0, stdout=io.StringIO())
        REFERENCE_ROWS[:] = reference_snapshot.take(before)


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast_flush.install(monkeypatch)
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Several users per test: the production hasher would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db):
    """For transactional tests, which start from an empty database: the rows the session's
    load wrote, inserted again in bulk (the loaders themselves are tested on their own)."""
    from clusterbridge.taxonomy.models import Feature

    if not Feature.objects.exists():
        reference_snapshot.restore(REFERENCE_ROWS)


# The authenticator secret of every test user with two-factor authentication.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(
    username: str,
    *,
    groups=(),
    superuser=False,
    email=None,
    verified: bool = True,
    two_factor: bool | None = None,
):
    """A user whose e-mail address is confirmed (allauth's primary EmailAddress), unless
    `verified=False`. Editors and administrators get two-factor authentication (an
    authenticator app with TOTP_SECRET and recovery codes), as the site requires of
    them, unless `two_factor=False`; `two_factor=True` gives it to anyone."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    User = get_user_model()
    address = email or f"{username}@example.org"
    user = User.objects.create_user(
        username, address, PASSWORD, is_staff=superuser, is_superuser=superuser
    )
    EmailAddress.objects.create(user=user, email=address.lower(), verified=verified, primary=True)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if two_factor is None:
        two_factor = superuser or EDITOR_GROUP in groups
    if two_factor:
        TOTP.activate(user, TOTP_SECRET)
        RecoveryCodes.activate(user)
    return user


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The code an authenticator app with `secret` shows now (or at time `at`)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(at or time.time()) // 30))


def recovery_code(username: str) -> str:
    """An unused recovery code of the user (used by sign_in: unlike a TOTP code it cannot
    expire between reading and typing, and each sign-in uses a fresh one)."""
    from allauth.mfa.models import Authenticator

    codes = Authenticator.objects.get(
        user__username=username, type=Authenticator.Type.RECOVERY_CODES
    )
    return codes.wrap().get_unused_codes()[0]


@pytest.fixture
def users(db):
    return {
        "anonymous": None,
        "member": make_user("bob"),
        "editor": make_user("erin", groups=[EDITOR_GROUP]),
        "manager": make_user("mona", groups=[CLUSTER_MANAGER_GROUP]),
        "admin": make_user("alice", superuser=True),
    }


@pytest.fixture
def client_for(users, client):
    """client_for(role) → a test client signed in as that role (anonymous: signed out)."""
    from django.test import Client

    def make(role: str) -> Client:
        new_client = Client()
        if users[role] is not None:
            new_client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
        return new_client

    return make


@pytest.fixture
def api_client_for(users):
    from rest_framework.test import APIClient

    from clusterbridge.accounts.models import ApiToken

    def make(role: str) -> APIClient:
        api = APIClient()
        if users[role] is not None:
            _, key = ApiToken.issue(users[role], "tests")
            api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return make


# Browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    chromium = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI for the browser tests.")
        pytest.skip("Chromium is not installed")
    # Playwright runs an event loop in this thread; Django's ORM calls from the test body
    # are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, password: str = PASSWORD):
    """Sign in by user name (or e-mail address); answers the two-factor step with a
    recovery code when the account has two-factor authentication."""
    page.goto("/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/account/2fa/authenticate/" in page.url:
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        user = get_user_model().objects.get(Q(username=username) | Q(email__iexact=username))
        page.get_by_label("Code").fill(recovery_code(user.get_username()))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

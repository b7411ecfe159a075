"""What the accounts app shows on "My ClusterBridge" and holds about a person: the account
panel (e-mail addresses, two-factor authentication, API tokens, password), the editors'
and administrators' tools, and the account's part of "download my data"."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from clusterbridge.accounts import dashboard, roles
from clusterbridge.accounts.models import ApiToken

# (url name, label, who may open it) — a tool appears only where the app that owns it is.
TOOLS = (
    ("interop:index", "Import calls and spreadsheets", roles.is_editor),
    ("funding:maintenance", "Funding maintenance: calls closing soon or stale", roles.is_editor),
    ("clusters:moderation", "Moderation: registrations, claims and changes", roles.is_admin),
    ("trash", "Deleted records (restore)", roles.is_admin),
    ("admin:index", "Administration: users, roles, taxonomy", roles.is_admin),
)


def account_panel(request: HttpRequest) -> dict:
    user = request.user
    emails = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    methods = {a.type for a in Authenticator.objects.filter(user=user).only("type")}
    return {
        "emails": emails,
        "unverified": [e for e in emails if not e.verified],
        "two_factor": Authenticator.Type.TOTP in methods,
        "recovery_codes": Authenticator.Type.RECOVERY_CODES in methods,
        "two_factor_required": roles.needs_two_factor(user),
        "active_tokens": ApiToken.objects.active().filter(user=user).count(),
        "roles": roles.role_names(user),
    }


def tools_panel(request: HttpRequest) -> dict | None:
    links = []
    for url_name, label, allowed in TOOLS:
        if not allowed(request.user):
            continue
        try:
            links.append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return {"links": links} if links else None


def export_email_addresses(user) -> list[dict]:
    return list(
        EmailAddress.objects.filter(user=user)
        .order_by("-primary", "email")
        .values("email", "verified", "primary")
    )


def export_two_factor(user) -> list[dict]:
    # The kinds in use and when; never a secret or a recovery code.
    return list(
        Authenticator.objects.filter(user=user)
        .order_by("type")
        .values("type", "created_at", "last_used_at")
    )


def export_tokens(user) -> list[dict]:
    # Names and dates only: never the key's hash.
    return list(
        ApiToken.objects.filter(user=user)
        .order_by("created_at")
        .values("name", "created_at", "last_used_at", "revoked_at")
    )


def register() -> None:
    dashboard.register(
        dashboard.Panel(
            key="tools",
            title="Tools for editors and administrators",
            order=5,
            template="accounts/panels/tools.html",
            context=tools_panel,
        )
    )
    dashboard.register(
        dashboard.Panel(
            key="account",
            title="Account and security",
            order=90,
            template="accounts/panels/account.html",
            context=account_panel,
        )
    )
    dashboard.register_personal_data("email_addresses", export=export_email_addresses)
    dashboard.register_personal_data("two_factor_authentication", export=export_two_factor)
    dashboard.register_personal_data("api_tokens", export=export_tokens)

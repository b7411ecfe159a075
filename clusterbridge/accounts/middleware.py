"""Two account rules that hold on every page:

- editors and administrators without two-factor authentication are sent to set it up
  before any other page (the admin site and the API included); only the account
  pages that lead there (e-mail confirmation, two-factor set-up, sign-out) and those of
  their own data (download, delete) stay open;
- a write refused because the person's e-mail address is not confirmed yet
  (`roles.VerificationRequired`) answers with a page that says so and offers to resend
  the confirmation e-mail, rather than a bare "forbidden".
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from clusterbridge.accounts import roles

TWO_FACTOR_MESSAGE = (
    "Your account has editor or administrator rights: set up two-factor authentication "
    "to use them. Until then only your account settings are open."
)
# Pages an editor or administrator without two-factor authentication may still open: what
# leads to the set-up, and their rights over their own data.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "signup",
        "password_change",
        "password_reset",
        "account-data",
        "account-delete",
    }
)
OPEN_URL_PREFIXES = ("account_", "mfa_")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not roles.needs_two_factor(user) or roles.has_two_factor(user):
            return None
        name = request.resolver_match.url_name or ""
        if name in OPEN_URL_NAMES or name.startswith(OPEN_URL_PREFIXES):
            return None
        if _is_api(request):
            return JsonResponse({"detail": TWO_FACTOR_MESSAGE}, status=403)
        if request.method == "GET":
            messages.warning(request, TWO_FACTOR_MESSAGE)
        return redirect(reverse("mfa_activate_totp"))


class VerificationRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, roles.VerificationRequired) or _is_api(request):
            return None
        return verify_first(request, exception.action)


def verify_first(request: HttpRequest, action: str) -> HttpResponse:
    """The page an unconfirmed account sees instead of a form that acts towards others."""
    addresses = EmailAddress.objects.filter(user=request.user, verified=False).order_by(
        "-primary", "email"
    )
    return render(
        request,
        "accounts/verify_first.html",
        {"action": action, "addresses": addresses},
        status=403,
    )

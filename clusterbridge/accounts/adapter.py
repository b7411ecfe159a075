"""ClusterBridge's hooks into django-allauth: the sign-in lock-out rule (lockout.py), the
site's wording, and two-factor authentication that editors and administrators may not
switch off."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from clusterbridge.accounts import lockout, roles

LOCKED_OUT = "too_many_login_attempts"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The e-mail address or the password is not correct.",
        "username_password_mismatch": "The user name or the password is not correct.",
        "username_blacklisted": "This user name is reserved: choose another one.",
    }

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        if lockout.is_locked(request, credentials):
            minutes = settings.LOGIN_LOCKOUT_MINUTES
            raise ValidationError(
                f"Too many failed sign-ins. Try again in {minutes} minutes, "
                "or reset your password.",
                code=LOCKED_OUT,
            )

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            lockout.record_success(request, credentials)
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        lockout.record_failure(request, credentials)


class TwoFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "Editors and administrators must keep two-factor authentication on."
        ),
        "unverified_email": (
            "Confirm your e-mail address first: two-factor authentication can only be set "
            "up on an account whose addresses are all confirmed."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and roles.needs_two_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)

"""The four roles. Administrator = superuser; editor and cluster manager = groups;
member = any signed-in user. A cluster manager's rights over one cluster come from the
clusters app's manager links; the group only says the person holds that role."""

from django.core.exceptions import PermissionDenied

EDITOR_GROUP = "editor"
CLUSTER_MANAGER_GROUP = "cluster-manager"
ROLE_GROUPS = (EDITOR_GROUP, CLUSTER_MANAGER_GROUP)


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_clusterbridge_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._clusterbridge_groups = cached
    return cached


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return is_member(user) and user.is_superuser


def is_editor(user) -> bool:
    """Editors keep the funding data; administrators may do everything editors do."""
    return is_admin(user) or (is_member(user) and EDITOR_GROUP in _group_names(user))


def is_cluster_manager(user) -> bool:
    return is_admin(user) or (is_member(user) and CLUSTER_MANAGER_GROUP in _group_names(user))


def role_names(user) -> list[str]:
    if not is_member(user):
        return []
    names = ["member"]
    if is_editor(user):
        names.append("editor")
    if is_cluster_manager(user):
        names.append("cluster manager")
    if is_admin(user):
        names.append("administrator")
    return names


def is_verified(user) -> bool:
    """A signed-in person who may act towards others: post, register a cluster or an
    organisation, message anyone. Browsing and saving searches need only `is_member`.

    Administrators are trusted; everyone else needs a verified e-mail address (allauth's
    EmailAddress; without allauth installed every signed-in member counts as verified)."""
    if not is_member(user):
        return False
    if user.is_superuser:
        return True
    from django.apps import apps

    if not apps.is_installed("allauth.account"):
        return True
    cached = getattr(user, "_clusterbridge_verified", None)
    if cached is None:
        cached = user.emailaddress_set.filter(verified=True).exists()
        user._clusterbridge_verified = cached
    return cached


def can_receive_mail(user) -> bool:
    """Automatic e-mails (alert digests, deadline reminders) go only to a confirmed address:
    anyone can sign up with someone else's address."""
    if not getattr(user, "email", ""):
        return False
    from django.apps import apps

    if not apps.is_installed("allauth.account"):
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


class VerificationRequired(PermissionDenied):
    """Raised by a write that acts towards others when the person's e-mail address is not
    confirmed yet. Pages answer it with a page that offers to resend the confirmation
    e-mail (accounts.middleware); the API with 403 and this message."""

    def __init__(self, action: str = "do this"):
        self.action = action
        super().__init__(
            f"Confirm your e-mail address to {action}: open the link in the e-mail we sent "
            "you, or ask for a new one under “E-mail addresses” on your account page."
        )


def require_verified(user, action: str) -> None:
    """The check every 'act towards others' write makes (`action` completes "Confirm your
    e-mail address to …", e.g. "register a cluster")."""
    if is_member(user) and not is_verified(user):
        raise VerificationRequired(action)


def needs_two_factor(user) -> bool:
    """Editors and administrators must use two-factor authentication."""
    return is_editor(user)


def has_two_factor(user) -> bool:
    if not is_member(user):
        return False
    cached = getattr(user, "_clusterbridge_two_factor", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._clusterbridge_two_factor = cached
    return cached

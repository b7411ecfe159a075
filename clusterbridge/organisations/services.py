"""Every change to organisations, their members and their cluster memberships. Pages, the
API and commands call these functions; each checks the permission, validates, writes and
records the history in one transaction (the shape of `clusters/services.py`).

Mail goes out once the transaction has committed (`on_commit`, robust): a change that is
rolled back sends nothing, and a mail server that fails does not undo the change.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts import roles
from clusterbridge.clusters.models import Cluster, normalise_name
from clusterbridge.clusters.models import Status as ClusterStatus
from clusterbridge.core import history
from clusterbridge.core.spreadsheets import CONTROL_CHARACTERS
from clusterbridge.organisations.models import (
    ClusterMembership,
    Membership,
    Organisation,
)

Action = history.Action
Role = Membership.Role
MemberStatus = Membership.Status
LinkStatus = ClusterMembership.Status
# A declined request can be made again after this long: the other side is not mailed about
# the same request every few minutes.
ASK_AGAIN_AFTER = datetime.timedelta(days=7)


# Helpers -----------------------------------------------------------------------------------
def _site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _mail(recipients: Iterable, subject: str, body: str) -> None:
    """Mail each person with an address, after the commit."""
    addresses = sorted({user.email for user in recipients if user is not None and user.email})
    for address in addresses:
        transaction.on_commit(
            lambda address=address: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address]
            ),
            robust=True,
        )


def _clean_text(value: Any) -> Any:
    """Control characters never enter a record (they break feeds, exports and e-mails)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value).strip()
    return value


def _check_cooldown(decided_at: datetime.datetime | None) -> None:
    if decided_at is None:
        return
    again = decided_at + ASK_AGAIN_AFTER
    if timezone.now() < again:
        day = timezone.localtime(again).date().isoformat()
        raise ValidationError(f"Your last request was declined; you can ask again from {day}.")


def _require_verified(user, doing: str) -> None:
    if not roles.is_member(user):
        raise PermissionDenied(f"Sign in to {doing}.")
    if not roles.is_verified(user):
        raise PermissionDenied(f"Confirm your e-mail address before you {doing}.")


def require_owner(organisation: Organisation, user) -> None:
    """Owners and administrators manage an organisation; nobody else."""
    if not organisation.user_can_change(user):
        raise PermissionDenied("Only an owner of this organisation may do this.")


def _locked(organisation: Organisation) -> Organisation:
    """The organisation's row, locked: owner changes are serialised per organisation, so two
    owners leaving at the same moment cannot leave it with none."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def owners(organisation: Organisation) -> list:
    return [
        m.user
        for m in organisation.memberships.filter(
            role=Role.OWNER, status=MemberStatus.ACTIVE
        ).select_related("user")
    ]


def owner_count(organisation: Organisation) -> int:
    return organisation.memberships.filter(role=Role.OWNER, status=MemberStatus.ACTIVE).count()


# The organisation --------------------------------------------------------------------------
def _apply(organisation: Organisation, values: dict) -> dict[str, list]:
    """Set the given values in memory; return the many-to-many values to save. Only the
    names given change (a PATCH writes only the fields it sends)."""
    m2m: dict[str, list] = {}
    for name, value in values.items():
        if name in Organisation.M2M_FIELDS:
            m2m[name] = list(value)
        elif name in Organisation.VALUE_FIELDS:
            value = _clean_text(value)
            setattr(organisation, name, "" if value is None and name != "country" else value)
    return m2m


def _validate(organisation: Organisation, m2m: dict[str, list]) -> None:
    errors: dict[str, list[str]] = {}
    try:
        organisation.full_clean(exclude=["slug", *Organisation.M2M_FIELDS])
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, vocabulary in Organisation.TERM_FIELDS.items():
        wrong = [t.code for t in m2m.get(name, []) if t.vocabulary != vocabulary]
        if wrong:
            errors.setdefault(name, []).append(f"Not in this vocabulary: {', '.join(wrong)}.")
    key = normalise_name(organisation.name)
    if key and "name" not in errors:
        others = (
            Organisation.objects.real()
            .exclude(pk=organisation.pk)
            .filter(country_id=organisation.country_id)
        )
        clash = next(
            (o for o in others.only("name", "slug") if normalise_name(o.name) == key), None
        )
        if clash is not None:
            where = f" in {organisation.country.label}" if organisation.country_id else ""
            errors.setdefault("name", []).append(
                f"“{clash.name}”{where} is already on ClusterBridge: ask to join it instead."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organisation(user, values: dict) -> Organisation:
    """A verified person creates an organisation and becomes its first owner."""
    _require_verified(user, "add an organisation")
    organisation = Organisation()
    m2m = _apply(organisation, values)
    _validate(organisation, m2m)
    history.save(organisation, user=user, m2m=m2m)
    owner = Membership(
        user=user,
        organisation=organisation,
        role=Role.OWNER,
        status=MemberStatus.ACTIVE,
        decided_at=timezone.now(),
    )
    history.save(owner, user=user, message="Creator of the organisation, its first owner")
    return organisation


@transaction.atomic
def update_organisation(organisation: Organisation, user, values: dict) -> Organisation:
    """An owner (or an administrator) changes the fields given; the rest stays as stored."""
    require_owner(organisation, user)
    organisation = _locked(organisation)
    m2m = _apply(organisation, values)
    _validate(organisation, m2m)
    history.save(organisation, user=user, m2m=m2m)
    return organisation


@transaction.atomic
def delete_organisation(organisation: Organisation, user) -> None:
    """Soft delete: the profile, its memberships and cluster listings disappear from every
    page; an administrator can restore it from the trash."""
    require_owner(organisation, user)
    history.soft_delete(_locked(organisation), user=user, message="Deleted by an owner")


# People ----------------------------------------------------------------------------------
@transaction.atomic
def request_to_join(organisation: Organisation, user, message: str = "") -> Membership:
    """A verified person asks to join; the owners are mailed and decide."""
    _require_verified(user, "ask to join an organisation")
    organisation = _locked(organisation)
    membership = Membership.all_objects.filter(organisation=organisation, user=user).first()
    if membership is not None and not membership.is_deleted:
        if membership.status == MemberStatus.ACTIVE:
            raise ValidationError(f"You are already a member of {organisation.name}.")
        if membership.status == MemberStatus.PENDING:
            raise ValidationError("Your request is already waiting for the owners.")
        if membership.status == MemberStatus.DECLINED:
            _check_cooldown(membership.decided_at)
    membership = membership or Membership(organisation=organisation, user=user)
    membership.deleted_at = None
    membership.role, membership.status = Role.MEMBER, MemberStatus.PENDING
    membership.message = _clean_text(message or "")
    membership.decided_by = membership.decided_at = None
    membership.full_clean(exclude=["user", "organisation"])
    history.save(membership, user=user, action=Action.SUBMIT, message="Asked to join")
    members_page = reverse("organisations:members", args=[organisation.slug])
    _mail(
        owners(organisation),
        f"{user.get_username()} asks to join “{organisation.name}”",
        f"{user.get_username()} asks to join {organisation.name} on ClusterBridge.\n\n"
        + (f"Their message:\n{membership.message}\n\n" if membership.message else "")
        + f"Approve or decline the request:\n{_site_link(members_page)}\n",
    )
    return membership


def _pending_request(membership: Membership, user) -> Membership:
    require_owner(membership.organisation, user)
    _locked(membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MemberStatus.PENDING:
        raise ValidationError("This request was already decided.")
    return membership


@transaction.atomic
def approve_request(membership: Membership, user) -> Membership:
    membership = _pending_request(membership, user)
    membership.status = MemberStatus.ACTIVE
    membership.decided_by, membership.decided_at = user, timezone.now()
    history.save(membership, user=user, action=Action.APPROVE, message="Request approved")
    organisation = membership.organisation
    _mail(
        [membership.user],
        f"You are now a member of “{organisation.name}”",
        f"Your request to join {organisation.name} was approved:\n"
        f"{_site_link(organisation.get_absolute_url())}\n",
    )
    return membership


@transaction.atomic
def decline_request(membership: Membership, user, reason: str = "") -> Membership:
    """An owner declines a request; a reason is optional and mailed when given."""
    membership = _pending_request(membership, user)
    reason = _clean_text(reason or "")
    membership.status = MemberStatus.DECLINED
    membership.decided_by, membership.decided_at = user, timezone.now()
    history.save(membership, user=user, action=Action.REJECT, message=reason or "Request declined")
    organisation = membership.organisation
    _mail(
        [membership.user],
        f"Your request to join “{organisation.name}” was declined",
        f"The owners of {organisation.name} declined your request to join.\n"
        + (f"\nReason: {reason}\n" if reason else ""),
    )
    return membership


def _active_member(membership: Membership, user) -> Membership:
    require_owner(membership.organisation, user)
    _locked(membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MemberStatus.ACTIVE:
        raise ValidationError("This person is not a member (yet).")
    return membership


@transaction.atomic
def set_role(membership: Membership, user, role: str) -> Membership:
    """An owner makes a member an owner, or an owner a member (never the last owner)."""
    if role not in Role.values:
        raise ValidationError({"role": f"Choose one of: {', '.join(Role.values)}."})
    membership = _active_member(membership, user)
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and owner_count(membership.organisation) <= 1:
        raise ValidationError("An organisation keeps at least one owner.")
    membership.role = role
    words = "Made an owner" if role == Role.OWNER else "Made a member (no longer an owner)"
    history.save(membership, user=user, message=words)
    if role == Role.OWNER:
        organisation = membership.organisation
        _mail(
            [membership.user],
            f"You are now an owner of “{organisation.name}”",
            f"{user.get_username()} made you an owner of {organisation.name}: you can edit "
            f"its profile and manage its members.\n"
            f"{_site_link(organisation.get_absolute_url())}\n",
        )
    return membership


@transaction.atomic
def remove_member(membership: Membership, user) -> None:
    """An owner removes a member (or another owner, as long as one owner remains)."""
    membership = _active_member(membership, user)
    if membership.user_id == user.pk:
        raise ValidationError("To leave the organisation yourself, use “Leave”.")
    if membership.role == Role.OWNER and owner_count(membership.organisation) <= 1:
        raise ValidationError("An organisation keeps at least one owner.")
    history.soft_delete(membership, user=user, message="Removed by an owner", checked=True)
    organisation = membership.organisation
    _mail(
        [membership.user],
        f"You are no longer a member of “{organisation.name}”",
        f"{user.get_username()} removed you from {organisation.name} on ClusterBridge.\n",
    )


@transaction.atomic
def leave(organisation: Organisation, user) -> None:
    """A member leaves, or a person withdraws their pending request. The last owner stays:
    they first make someone else an owner (or delete the organisation)."""
    if not roles.is_member(user):
        raise PermissionDenied("Sign in first.")
    organisation = _locked(organisation)
    membership = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, user=user)
        .exclude(status=MemberStatus.DECLINED)
        .first()
    )
    if membership is None:
        raise ValidationError(f"You are not a member of {organisation.name}.")
    if membership.is_active_owner and owner_count(organisation) <= 1:
        raise ValidationError(
            "You are the last owner: make another member an owner first, or delete the "
            "organisation."
        )
    withdrawn = membership.status == MemberStatus.PENDING
    history.soft_delete(
        membership, user=user, message="Request withdrawn" if withdrawn else "Left", checked=True
    )


# Clusters --------------------------------------------------------------------------------
def cluster_managers(cluster: Cluster) -> list:
    return [
        link.user for link in cluster.manager_links.filter(approved=True).select_related("user")
    ]


@transaction.atomic
def request_cluster_membership(
    organisation: Organisation,
    user,
    cluster: Cluster,
    *,
    show_publicly: bool,
    message: str = "",
) -> ClusterMembership:
    """An owner asks for the organisation to be listed as a member of a cluster; the
    cluster's managers (or, while it has none, the administrators) decide."""
    _require_verified(user, "ask a cluster to list your organisation")
    require_owner(organisation, user)
    organisation = _locked(organisation)
    if cluster.status != ClusterStatus.PUBLISHED or cluster.is_synthetic or cluster.is_deleted:
        raise ValidationError({"cluster": "Choose a published cluster."})
    link = ClusterMembership.all_objects.filter(organisation=organisation, cluster=cluster).first()
    if link is not None and not link.is_deleted:
        if link.status == LinkStatus.APPROVED:
            raise ValidationError({"cluster": f"{organisation.name} is already a member."})
        if link.status == LinkStatus.PENDING:
            raise ValidationError({"cluster": "This request already waits for the cluster."})
        if link.status == LinkStatus.DECLINED:
            try:
                _check_cooldown(link.decided_at)
            except ValidationError as error:
                raise ValidationError({"cluster": error.messages}) from None
    link = link or ClusterMembership(organisation=organisation, cluster=cluster)
    link.deleted_at = None
    link.status = LinkStatus.PENDING
    link.show_publicly = bool(show_publicly)
    link.message = _clean_text(message or "")
    link.reason = ""
    link.requested_by = user
    link.decided_by = link.decided_at = None
    link.full_clean(exclude=["organisation", "cluster"])
    history.save(link, user=user, action=Action.SUBMIT, message="Membership requested")
    queue = reverse("organisations:cluster-requests")
    _mail(
        cluster_managers(cluster),
        f"“{organisation.name}” asks to be listed as a member of {cluster.name}",
        f"{organisation.name} asks to be listed as a member of {cluster.name} on ClusterBridge."
        f"\n\n"
        + (f"Their message:\n{link.message}\n\n" if link.message else "")
        + f"Profile: {_site_link(organisation.get_absolute_url())}\n"
        f"Approve or decline: {_site_link(queue)}\n",
    )
    return link


def _pending_link(link: ClusterMembership, user) -> ClusterMembership:
    if not link.user_can_decide(user):
        raise PermissionDenied("Only the cluster's managers decide on its members.")
    link = ClusterMembership.objects.select_for_update().get(pk=link.pk)
    if link.status != LinkStatus.PENDING:
        raise ValidationError("This request was already decided.")
    return link


def _mail_organisation(link: ClusterMembership, subject: str, body: str) -> None:
    _mail(owners(link.organisation), subject, body)


@transaction.atomic
def approve_cluster_membership(link: ClusterMembership, user) -> ClusterMembership:
    link = _pending_link(link, user)
    link.status = LinkStatus.APPROVED
    link.decided_by, link.decided_at = user, timezone.now()
    history.save(link, user=user, action=Action.APPROVE, message="Membership approved")
    shown = (
        "It is shown on the cluster's public profile."
        if link.show_publicly
        else "It is not shown publicly (you can change that on your organisation's page)."
    )
    _mail_organisation(
        link,
        f"{link.cluster.name} lists “{link.organisation.name}” as a member",
        f"{link.cluster.name} approved {link.organisation.name} as a member. {shown}\n"
        f"{_site_link(link.cluster.get_absolute_url())}\n",
    )
    return link


@transaction.atomic
def decline_cluster_membership(link: ClusterMembership, user, reason: str) -> ClusterMembership:
    """The reason is required: it is sent to the organisation's owners."""
    reason = _clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": "Give the reason: it is sent to the organisation."})
    link = _pending_link(link, user)
    link.status = LinkStatus.DECLINED
    link.reason = reason
    link.decided_by, link.decided_at = user, timezone.now()
    link.full_clean(exclude=["organisation", "cluster"])
    history.save(link, user=user, action=Action.REJECT, message=reason)
    _mail_organisation(
        link,
        f"{link.cluster.name} declined to list “{link.organisation.name}”",
        f"{link.cluster.name} declined to list {link.organisation.name} as a member.\n\n"
        f"Reason: {reason}\n",
    )
    return link


@transaction.atomic
def set_cluster_visibility(link: ClusterMembership, user, show_publicly: bool) -> ClusterMembership:
    """The organisation (its owners) decides whether the membership is shown publicly."""
    require_owner(link.organisation, user)
    link = ClusterMembership.objects.select_for_update().get(pk=link.pk)
    link.show_publicly = bool(show_publicly)
    history.save(
        link,
        user=user,
        message="Shown publicly" if link.show_publicly else "No longer shown publicly",
    )
    return link


@transaction.atomic
def end_cluster_membership(link: ClusterMembership, user) -> None:
    """The organisation withdraws (its request or its membership), or the cluster's managers
    end it; the other side is told."""
    by_organisation = link.organisation.user_can_change(user)
    if not by_organisation and not link.user_can_decide(user):
        raise PermissionDenied("Only the organisation's owners or the cluster's managers may.")
    link = ClusterMembership.objects.select_for_update().get(pk=link.pk)
    if link.status == LinkStatus.DECLINED:
        raise ValidationError("This request was declined; there is nothing to end.")
    if link.status == LinkStatus.PENDING and not by_organisation:
        raise ValidationError("Decline the request instead: the organisation gets the reason.")
    history.soft_delete(
        link,
        user=user,
        message="Withdrawn by the organisation" if by_organisation else "Ended by the cluster",
        checked=True,
    )
    if not by_organisation:
        _mail_organisation(
            link,
            f"{link.cluster.name} no longer lists “{link.organisation.name}”",
            f"The managers of {link.cluster.name} ended {link.organisation.name}'s listing "
            f"as a member.\n",
        )


def cluster_queue(user):
    """Pending membership requests of the clusters this person manages, oldest first."""
    return (
        ClusterMembership.objects.pending()
        .managed_by(user)
        .filter(organisation__deleted_at=None)
        .select_related("organisation", "organisation__country", "cluster", "requested_by")
        .distinct()
        .order_by("created_at", "pk")
    )

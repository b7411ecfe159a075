"""The write door of clusters and the business actions of the catalogue (seed 000 L255–261:
self-registration and update requests reviewed by an administrator before they are public;
ECCP “add your colleague”). Pages, the API, the spreadsheet import and revert call these;
each checks the permission, changes the record and writes the history in one transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clusterbridge.accounts.roles import (
    CLUSTER_MANAGER_GROUP,
    is_admin,
    is_member,
    require_verified,
)
from clusterbridge.clusters.models import (
    ChangeRequest,
    Classification,
    Cluster,
    ClusterManager,
    Status,
)
from clusterbridge.core import history
from clusterbridge.core.services import ModelService, Values, WriteResult, register
from clusterbridge.taxonomy.models import Country, Term

Action = history.Action
# What an unconfirmed account is told it cannot do yet (roles.require_verified).
REGISTER = "register a cluster"
CHANGE = "change a cluster's profile"
VALUE_FIELDS = Cluster.VALUE_FIELDS
TERM_FIELDS = tuple(Cluster.TERM_FIELDS)
# What a manager (or a proposer) may change; the rest is the administrators'.
MANAGER_FIELDS = (*VALUE_FIELDS, *TERM_FIELDS)
# Derived or bookkeeping fields: never sourced from a person or a document.
UNSOURCED_FIELDS = {"field_sources", "slug", "search_text", "size_members", "domains_key"}


# Values as plain JSON (what a change request stores and shows) ----------------------------
def cluster_values(cluster: Cluster) -> dict:
    values = {name: getattr(cluster, name) for name in VALUE_FIELDS if name != "country"}
    values["country"] = cluster.country.code if cluster.country_id else None
    if cluster.pk:
        for name in TERM_FIELDS:
            values[name] = sorted(getattr(cluster, name).values_list("code", flat=True))
    return values


def to_json(values: Values) -> dict:
    """Service values (instances) as a change request stores them (codes)."""
    stored = {}
    for name, value in values.items():
        if name == "country":
            value = value.code if isinstance(value, Country) else value
        elif name in TERM_FIELDS:
            value = sorted(v.code if isinstance(v, Term) else v for v in value)
        stored[name] = value
    return stored


def from_json(values: dict) -> Values:
    """Stored or typed values (codes) as the service takes them (instances)."""
    converted: Values = {}
    for name, value in values.items():
        if name == "country":
            converted[name] = Country.objects.get(code=value) if value else None
        elif name in TERM_FIELDS:
            vocabulary = Cluster.TERM_FIELDS[name]
            converted[name] = list(Term.objects.filter(vocabulary=vocabulary, code__in=value))
        elif name in VALUE_FIELDS:
            converted[name] = value
    return converted


def mark_sources(cluster: Cluster, fields, user, note: str) -> None:
    """A field written on the site or by an import is sourced from that edit (who, when,
    how), no longer from a document."""
    sources = dict(cluster.field_sources or {})
    for name in fields:
        if name in UNSOURCED_FIELDS:
            continue
        sources[name] = [
            {
                "document": note,
                "user": user.get_username() if user is not None and user.is_authenticated else "",
                "date": timezone.localdate().isoformat(),
            }
        ]
    cluster.field_sources = sources


def _trusted(cluster: Cluster, user) -> bool:
    return (
        user is None
        or is_admin(user)
        or cluster.manager_links.filter(user=user, approved=True, trusted=True).exists()
    )


class ClusterService(ModelService[Cluster]):
    """Creating a cluster is proposing it (pending until an administrator approves). Edits of
    a published profile by an untrusted manager wait for review as a change request — edits
    on the page, in the API and reverts alike. Status changes are moderation actions (below),
    never a revert; deleting a profile is the administrators'."""

    model = Cluster
    revert_exclude = ("status", "submitted_by", "is_synthetic", "slug", "field_sources")

    def can_delete(self, obj: Cluster, user) -> bool:
        return user is None or is_admin(user)

    def prepare(self, obj: Cluster, user, changed: set[str], *, note: str = "", author=None):
        mark_sources(obj, changed, author or user, note or "edited on the site")

    def create(self, user, values: Values, **kwargs) -> WriteResult[Cluster]:
        """A proposal: pending, by its proposer (an import creates records as they are)."""
        if user is not None:
            require_verified(user, REGISTER)
        kwargs.setdefault("message", "Proposed for the catalogue")
        kwargs.setdefault("note", "registration")
        proposer = user if user is not None and user.is_authenticated else None
        values = {**values, "status": Status.PENDING, "submitted_by": proposer}
        result = super().create(user, values, **kwargs)
        history.record(
            result.obj, Action.SUBMIT, user=user, message="Registration submitted for review"
        )
        return result

    def needs_review(self, cluster: Cluster, user) -> bool:
        return cluster.status == Status.PUBLISHED and not _trusted(cluster, user)

    def apply(self, obj: Cluster, user, values: Values, **kwargs) -> WriteResult[Cluster]:
        changes = self.differences(obj, values)
        if changes and user is not None:
            require_verified(user, CHANGE)
        if user is not None and not is_admin(user):
            beyond = sorted(set(changes) - set(MANAGER_FIELDS))
            if beyond:
                raise PermissionDenied(
                    f"Only an administrator changes these fields: {', '.join(beyond)}."
                )
        if changes and self.needs_review(obj, user):
            return self.request_review(obj, user, changes)
        if not kwargs.get("message"):
            kwargs["message"] = "Edited by a manager"
        return super().apply(obj, user, changes, **kwargs)

    def request_review(self, cluster: Cluster, user, changes: Values) -> WriteResult[Cluster]:
        """The changes, validated now, wait in a change request; the profile is unchanged."""
        proposed = Cluster.all_objects.get(pk=cluster.pk)
        self.assign(proposed, {k: v for k, v in changes.items() if k not in TERM_FIELDS})
        self.validate(proposed, fields=[k for k in changes if k not in TERM_FIELDS])
        current = cluster_values(cluster)
        request = ChangeRequest(
            cluster=cluster,
            changes=to_json(changes),
            submitted_by=user,
            original={name: current.get(name) for name in changes},
        )
        history.save(
            request, user=user, action=Action.SUBMIT, message="Change submitted for review"
        )
        return WriteResult(cluster, review=request)


clusters = register(ClusterService())


class ClassificationService(ModelService[Classification]):
    """Classifications are loaded from the sources (stated, suggested) and decided by
    editors and the cluster's managers (`decide_classification`)."""

    model = Classification

    def can_change(self, obj: Classification, user) -> bool:
        return user is None or obj.user_can_decide(user)


classifications = register(ClassificationService())


def decide_classification(classification: Classification, user, *, confirm: bool) -> Classification:
    """An editor or one of the cluster's managers confirms a suggested classification (it
    becomes a fact: shown on the profile and counted in the facets) or rejects it (it is not
    suggested again by a reload). Both steps are in the history of the classification and,
    for a confirmation, of the cluster."""
    if not classification.user_can_decide(user):
        raise PermissionDenied("Only editors and the cluster's managers decide suggestions.")
    if classification.state != Classification.State.SUGGESTED:
        raise ValidationError(
            f"This classification is already {classification.get_state_display().lower()}."
        )
    state = Classification.State.CONFIRMED if confirm else Classification.State.REJECTED
    with transaction.atomic():
        result = classifications.update(
            classification,
            user,
            {"state": state, "decided_by": user, "decided_at": timezone.now()},
            message=f"{state.label}: {classification.term.label}",
        )
        if confirm:
            cluster = Cluster.all_objects.select_for_update().get(pk=classification.cluster_id)
            field = classification.field
            terms = [*getattr(cluster, field).all(), classification.term]
            clusters.write(
                cluster,
                user=user,
                m2m={field: terms},
                message=f"Classification confirmed: {classification.term.label}",
            )
    return result.obj


@dataclass
class Decisions:
    done: list = field(default_factory=list)  # the classifications decided
    refused: list = field(default_factory=list)  # (id, why) of the others


def decide_classifications(ids, user, *, confirm: bool) -> Decisions:
    """Confirm or reject many suggested classifications at once (the editors' page), each
    through `decide_classification` — its permission check and its history entries. One
    that cannot be decided (decided meanwhile, not the person's) is reported; the others go
    ahead, each in its own transaction."""
    outcome = Decisions()
    wanted = sorted({int(pk) for pk in ids})
    found = Classification.objects.select_related("term", "cluster").in_bulk(wanted)
    for pk in wanted:
        classification = found.get(pk)
        if classification is None or classification.cluster.is_deleted:
            outcome.refused.append((pk, "no such suggestion"))
            continue
        try:
            outcome.done.append(decide_classification(classification, user, confirm=confirm))
        except ValidationError as error:
            outcome.refused.append((pk, " ".join(error.messages)))
        except PermissionDenied as error:
            outcome.refused.append((pk, str(error)))
    return outcome


def _mail(user, subject: str, body: str) -> None:
    if user is not None and user.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only an administrator may do this.")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason: it is sent to the person."})
    return reason


def _site_link(cluster: Cluster) -> str:
    return settings.SITE_URL.rstrip("/") + cluster.get_absolute_url()


# Registration ------------------------------------------------------------------------------
def propose(user, values: dict) -> Cluster:
    """A signed-in person proposes a new cluster (values as codes, like a change request);
    it is pending and invisible to the public."""
    if not is_member(user):
        raise PermissionDenied("Sign in to propose a cluster.")
    return clusters.create(user, from_json(values)).obj


@transaction.atomic
def resubmit(cluster: Cluster, user) -> Cluster:
    """The proposer sends a rejected (draft) registration back for review."""
    if not cluster.is_own_registration(user) and not is_admin(user):
        raise PermissionDenied("Only its proposer may resubmit this registration.")
    require_verified(user, REGISTER)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != Status.DRAFT:
        raise ValidationError("Only a draft registration can be resubmitted.")
    cluster.status = Status.PENDING
    history.save(cluster, user=user, action=Action.SUBMIT, message="Registration resubmitted")
    return cluster


@transaction.atomic
def approve(cluster: Cluster, user) -> Cluster:
    _require_admin(user)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != Status.PENDING:
        raise ValidationError("Only a pending registration can be approved.")
    cluster.status = Status.PUBLISHED
    history.save(cluster, user=user, action=Action.APPROVE, message="Registration approved")
    if (
        cluster.submitted_by
        and not cluster.manager_links.filter(user=cluster.submitted_by).exists()
    ):
        # Whoever registered the cluster manages its profile.
        link = ClusterManager(
            user=cluster.submitted_by,
            cluster=cluster,
            approved=True,
            role=ClusterManager.Role.OWNER,
        )
        history.save(link, user=user, message="Registrant becomes the profile's manager")
        _add_manager_group(cluster.submitted_by)
    _mail(
        cluster.submitted_by,
        f"Your cluster “{cluster.name}” is published",
        f"Your registration of {cluster.name} was approved and is now public:\n"
        f"{_site_link(cluster)}\n",
    )
    return cluster


@transaction.atomic
def reject(cluster: Cluster, user, reason: str) -> Cluster:
    _require_admin(user)
    reason = _require_reason(reason)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != Status.PENDING:
        raise ValidationError("Only a pending registration can be rejected.")
    cluster.status = Status.DRAFT
    history.save(cluster, user=user, action=Action.REJECT, message=reason)
    _mail(
        cluster.submitted_by,
        f"Your cluster “{cluster.name}” was not published",
        f"Your registration of {cluster.name} was not approved.\n\nReason: {reason}\n",
    )
    return cluster


# Changes by managers -----------------------------------------------------------------------
def submit_change(cluster: Cluster, user, values: dict) -> ChangeRequest | None:
    """A manager edits their cluster (values as codes). Changes to a published profile wait
    for moderation unless the manager is trusted (or an administrator); returns the change
    request, or None when the change was applied."""
    result = clusters.update(cluster, user, from_json(values))
    if not result.changed and not result.waiting_for_review:
        raise ValidationError("Nothing was changed.")
    return result.review


@transaction.atomic
def approve_change(request: ChangeRequest, user) -> ChangeRequest:
    _require_admin(user)
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChangeRequest.Status.PENDING:
        raise ValidationError("This change request was already decided.")
    cluster = Cluster.all_objects.select_for_update().get(pk=request.cluster_id)
    clusters.apply(
        cluster,
        user,
        from_json(request.changes),
        action=Action.APPROVE,
        message=f"Change request #{request.pk} by {request.submitted_by} approved",
        author=request.submitted_by,
    )
    request.status = ChangeRequest.Status.APPROVED
    request.decided_by, request.decided_at = user, timezone.now()
    history.save(request, user=user, action=Action.APPROVE, message="Approved")
    _mail(
        request.submitted_by,
        f"Your changes to “{cluster.name}” are published",
        f"Your changes to {cluster.name} were approved:\n{_site_link(cluster)}\n",
    )
    return request


@transaction.atomic
def reject_change(request: ChangeRequest, user, reason: str) -> ChangeRequest:
    _require_admin(user)
    reason = _require_reason(reason)
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChangeRequest.Status.PENDING:
        raise ValidationError("This change request was already decided.")
    request.status = ChangeRequest.Status.REJECTED
    request.reason = reason
    request.decided_by, request.decided_at = user, timezone.now()
    history.save(request, user=user, action=Action.REJECT, message=reason)
    _mail(
        request.submitted_by,
        f"Your changes to “{request.cluster.name}” were not published",
        f"Your changes to {request.cluster.name} were not approved.\n\nReason: {reason}\n",
    )
    return request


# Managers ----------------------------------------------------------------------------------
def find_user(identifier: str):
    """An existing account by username or e-mail address."""
    identifier = (identifier or "").strip()
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
    )
    if not identifier or users.count() != 1:
        raise ValidationError(
            {"user": f"No single account has the username or e-mail “{identifier}”."}
        )
    return users.get()


def _add_manager_group(user) -> None:
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name=CLUSTER_MANAGER_GROUP)[0])


@transaction.atomic
def claim(cluster: Cluster, user, message: str = "") -> ClusterManager:
    """A person asks to manage a published profile; an administrator decides."""
    if not is_member(user):
        raise PermissionDenied("Sign in to claim a cluster.")
    require_verified(user, "claim a cluster")
    if cluster.status != Status.PUBLISHED:
        raise ValidationError("Only a published cluster can be claimed.")
    if cluster.manager_links.filter(user=user).exists():
        raise ValidationError("You already manage or have claimed this cluster.")
    # A rejected claim is a soft-deleted link: claiming again revives it (one link per person).
    link = ClusterManager.all_objects.filter(cluster=cluster, user=user).first()
    if link is None:
        link = ClusterManager(user=user, cluster=cluster)
    link.deleted_at, link.approved = None, False
    history.save(
        link,
        user=user,
        action=Action.SUBMIT,
        message=(message or "").strip() or "Claim of the profile",
    )
    return link


@transaction.atomic
def approve_claim(link: ClusterManager, user) -> ClusterManager:
    _require_admin(user)
    if link.approved:
        raise ValidationError("This claim was already approved.")
    link.approved = True
    history.save(link, user=user, action=Action.APPROVE, message="Claim approved")
    _add_manager_group(link.user)
    _mail(
        link.user,
        f"You now manage “{link.cluster.name}”",
        f"Your claim was approved; you can edit the profile:\n{_site_link(link.cluster)}\n",
    )
    return link


@transaction.atomic
def reject_claim(link: ClusterManager, user, reason: str) -> None:
    _require_admin(user)
    reason = _require_reason(reason)
    if link.approved:
        raise ValidationError("This claim was already approved.")
    history.record(link, Action.REJECT, user=user, before=history.snapshot(link), message=reason)
    history.soft_delete(link, user=user, message="Claim rejected")
    _mail(link.user, f"Your claim of “{link.cluster.name}” was not approved", f"Reason: {reason}\n")


@transaction.atomic
def grant_manager(
    cluster: Cluster, user, manager, *, role: str = ClusterManager.Role.OWNER, trusted: bool = False
) -> ClusterManager:
    """An administrator links a person to a cluster (approved at once)."""
    _require_admin(user)
    link = ClusterManager.all_objects.filter(cluster=cluster, user=manager).first()
    if link is None:
        link = ClusterManager(cluster=cluster, user=manager)
    link.deleted_at = None
    link.role, link.trusted, link.approved = role, trusted, True
    history.save(link, user=user, message="Manager granted by an administrator")
    _add_manager_group(manager)
    return link


@transaction.atomic
def invite(cluster: Cluster, user, colleague) -> ClusterManager:
    """A manager adds a colleague (who has an account) as co-manager of their cluster."""
    if not cluster.user_can_change(user):
        raise PermissionDenied("You do not manage this cluster.")
    require_verified(user, "add a co-manager")
    if ClusterManager.all_objects.filter(cluster=cluster, user=colleague, deleted_at=None).exists():
        raise ValidationError({"user": f"{colleague.get_username()} already manages this cluster."})
    link = ClusterManager.all_objects.filter(
        cluster=cluster, user=colleague
    ).first() or ClusterManager(cluster=cluster, user=colleague)
    link.deleted_at = None
    link.role, link.approved, link.trusted, link.invited_by = (
        ClusterManager.Role.CO_MANAGER,
        True,
        False,
        user,
    )
    history.save(link, user=user, message=f"Invited by {user.get_username()}")
    _add_manager_group(colleague)
    _mail(
        colleague,
        f"You are now a co-manager of “{cluster.name}”",
        f"{user.get_username()} added you as co-manager of {cluster.name}:\n"
        f"{_site_link(cluster)}\n",
    )
    return link


def moderation_queue():
    """Pending registrations, claims and change requests, oldest first."""
    items = [
        ("registration", c.created_at, c)
        for c in Cluster.objects.filter(status=Status.PENDING).select_related(
            "submitted_by", "country"
        )
    ]
    items += [
        ("claim", link.created_at, link)
        for link in ClusterManager.objects.filter(approved=False).select_related("user", "cluster")
    ]
    items += [
        ("change", r.created_at, r)
        for r in ChangeRequest.objects.pending().select_related("cluster", "submitted_by")
    ]
    return sorted(items, key=lambda item: item[1])

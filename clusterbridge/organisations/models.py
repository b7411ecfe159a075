"""Organisations on the platform — companies, research bodies, universities, public bodies,
associations, investors — with the people who belong to them, and their membership of
clusters (asked by the organisation, approved by the cluster's managers).

The marketplace, events and benchmarking build on these records: a post, a registration or
a matchmaking profile belongs to an organisation and is written by one of its members.
Every write goes through `organisations/services.py`.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from clusterbridge.accounts import roles
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel
from clusterbridge.core.search import build_search_text, fold
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary

DESCRIPTION_MAX = 5000
MESSAGE_MAX = 2000


class OrganisationType(models.TextChoices):
    SME = "sme", "SME"
    LARGE_COMPANY = "large-company", "Large company"
    RESEARCH = "research-organisation", "Research organisation"
    UNIVERSITY = "university", "University"
    PUBLIC_BODY = "public-body", "Public body"
    ASSOCIATION = "association", "Association"
    INVESTOR = "investor", "Investor"


class SizeBand(models.TextChoices):
    """Employees, in the EU's SME size classes (Recommendation 2003/361/EC). An empty value
    means the organisation did not say."""

    MICRO = "1-9", "1–9 employees"
    SMALL = "10-49", "10–49 employees"
    MEDIUM = "50-249", "50–249 employees"
    LARGE = "250+", "250 or more employees"


# Paths of the directory that an organisation's slug must not take.
RESERVED_SLUGS = {"new", "cluster-requests", "export"}


class OrganisationQuerySet(LiveQuerySet):
    def real(self):
        """What the directory lists and counts: never the synthetic test records."""
        return self.filter(is_synthetic=False)


class OrganisationManager(LiveManager.from_queryset(OrganisationQuerySet)):
    pass


class Organisation(TrackedModel):
    """An organisation's public profile. Its members are private to its members."""

    # The editable values (pages, API and services share these names), then the
    # many-to-many fields with the vocabulary each draws from.
    VALUE_FIELDS = ("name", "type", "country", "region", "website", "description", "size")
    TERM_FIELDS = {"ecosystems": Vocabulary.ECOSYSTEMS, "sectors": Vocabulary.SECTORS}
    M2M_FIELDS = (*TERM_FIELDS, "features")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    type = models.CharField(max_length=24, choices=OrganisationType.choices, db_index=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    region = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
        help_text="What the organisation does and offers, in a few sentences.",
    )
    features = models.ManyToManyField(
        Feature,
        blank=True,
        related_name="organisations",
        help_text="Techniques, processes and domains the organisation works with.",
    )
    ecosystems = models.ManyToManyField(
        Term,
        blank=True,
        related_name="organisations_by_ecosystem",
        limit_choices_to={"vocabulary": Vocabulary.ECOSYSTEMS},
        verbose_name="industrial ecosystems",
    )
    sectors = models.ManyToManyField(
        Term,
        blank=True,
        related_name="organisations_by_sector",
        limit_choices_to={"vocabulary": Vocabulary.SECTORS},
    )
    size = models.CharField(
        "size (employees)", max_length=8, choices=SizeBand.choices, blank=True, db_index=True
    )
    is_synthetic = models.BooleanField(default=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = OrganisationManager()
    all_objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["is_synthetic", "name"]),
            # "Newest on ClusterBridge first" in the directory.
            models.Index(fields=["-created_at"], name="organisation_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.slug])

    # Policy ---------------------------------------------------------------------------------
    @classmethod
    def user_can_create(cls, user) -> bool:
        """Creating an organisation acts towards others: a verified account is needed."""
        return roles.is_verified(user)

    def user_can_change(self, user) -> bool:
        return roles.is_admin(user) or self.is_owned_by(user)

    def membership_of(self, user) -> "Membership | None":
        """The person's live link to this organisation (active or requested), if any."""
        if not roles.is_member(user) or self.pk is None:
            return None
        cache = getattr(self, "_membership_cache", {})
        if user.pk not in cache:
            cache[user.pk] = Membership.objects.filter(organisation=self, user=user).first()
            self._membership_cache = cache
        return cache[user.pk]

    def is_owned_by(self, user) -> bool:
        membership = self.membership_of(user)
        return membership is not None and membership.is_active_owner

    def has_member(self, user) -> bool:
        membership = self.membership_of(user)
        return membership is not None and membership.status == Membership.Status.ACTIVE

    # Saving ---------------------------------------------------------------------------------
    def unique_slug(self) -> str:
        base = slugify(fold(self.name))[:100] or "organisation"
        slug, n = base, 1
        while slug in RESERVED_SLUGS or (
            Organisation.all_objects.filter(slug=slug).exclude(pk=self.pk).exists()
        ):
            n += 1
            slug = f"{base}-{n}"
        return slug

    def prepare_for_save(self) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        self.search_text = build_search_text(
            self.name,
            self.region,
            self.country.label if self.country_id else "",
            self.get_type_display() if self.type else "",
            self.description,
        )

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)


class Membership(TrackedModel):
    """A person's link to an organisation: a join request until an owner approves it.

    One row per person and organisation: leaving or being removed deletes it softly, and a
    new request revives it, so the history of the pair stays in one place."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    class Status(models.TextChoices):
        PENDING = "pending", "Request pending"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Request declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(
        "message to the owners",
        blank=True,
        max_length=MESSAGE_MAX,
        validators=[MaxLengthValidator(MESSAGE_MAX)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_person_and_organisation"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.get_role_display()})"

    @property
    def is_active_owner(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.OWNER

    # Reverting a membership change by hand is for administrators: owners act through the
    # members page, whose services keep the last-owner rule.
    @classmethod
    def user_can_create(cls, user) -> bool:
        return roles.is_admin(user)

    def user_can_change(self, user) -> bool:
        return roles.is_admin(user)


class ClusterMembershipQuerySet(LiveQuerySet):
    def shown(self):
        """Approved memberships the organisation agrees to show, of live real organisations
        and published real clusters: what public pages, facets and the API list."""
        from clusterbridge.clusters.models import Status as ClusterStatus

        return self.filter(
            status=ClusterMembership.Status.APPROVED,
            show_publicly=True,
            organisation__deleted_at=None,
            organisation__is_synthetic=False,
            cluster__deleted_at=None,
            cluster__status=ClusterStatus.PUBLISHED,
            cluster__is_synthetic=False,
        )

    def pending(self):
        return self.filter(status=ClusterMembership.Status.PENDING)

    def managed_by(self, user):
        """Links of the clusters this person manages (administrators: every cluster)."""
        if roles.is_admin(user):
            return self
        if not roles.is_member(user):
            return self.none()
        return self.filter(
            cluster__manager_links__user=user,
            cluster__manager_links__approved=True,
            cluster__manager_links__deleted_at=None,
        )


class ClusterMembership(TrackedModel):
    """An organisation listed as a member of a cluster, once the cluster's managers agree.

    `show_publicly` is the organisation's consent to appear on the cluster's public profile;
    without it the membership is known only to both sides (and counts nowhere public)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the cluster"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cluster_links"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="organisation_links"
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    show_publicly = models.BooleanField(
        "shown on the cluster's public profile",
        default=False,
        help_text="The organisation agrees to be listed on the cluster's public profile.",
    )
    message = models.TextField(
        "message to the cluster's managers",
        blank=True,
        max_length=MESSAGE_MAX,
        validators=[MaxLengthValidator(MESSAGE_MAX)],
    )
    reason = models.TextField("reason of the decision", blank=True, max_length=MESSAGE_MAX)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = LiveManager.from_queryset(ClusterMembershipQuerySet)()
    all_objects = ClusterMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cluster"], name="one_link_per_organisation_and_cluster"
            )
        ]
        indexes = [models.Index(fields=["cluster", "status", "show_publicly"])]

    def __str__(self) -> str:
        return f"{self.organisation} member of {self.cluster}"

    @classmethod
    def user_can_create(cls, user) -> bool:
        return roles.is_admin(user)

    def user_can_change(self, user) -> bool:
        return roles.is_admin(user)

    def user_can_decide(self, user) -> bool:
        """The cluster's approved managers, and administrators."""
        return roles.is_admin(user) or self.cluster.is_managed_by(user)


__all__ = [
    "ClusterMembership",
    "Membership",
    "Organisation",
    "OrganisationType",
    "SizeBand",
]

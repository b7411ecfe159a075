"""The cluster catalogue (seed 000 §1–2 and Annex A, seed 001 Annex 3, seed 002 Annex 1,
seed 003): cluster organisations, the networks they belong to, the people who manage them
and the change requests those people submit.

A cluster's label validity and its size are derived, never typed in: the validity from the
expiry date and the day of the question, the size from the member figures (see
`Cluster.prepare_for_save`).
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from clusterbridge.accounts.roles import is_admin, is_editor, is_member
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel
from clusterbridge.core.search import build_search_text, fold
from clusterbridge.taxonomy.models import Country, Term, Vocabulary


def today() -> datetime.date:
    return timezone.localdate()


def normalise_name(name: str) -> str:
    """'Košice IT Valley' and 'Kosice IT valley' → 'kosice it valley' (merging key)."""
    return " ".join(re.findall(r"\w+", fold(name or "")))


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class LabelLevel(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class LabelValidity(models.TextChoices):
    VALID = "valid", "valid"
    EXPIRED = "expired", "expired"
    UNKNOWN = "unknown", "expiry date not stated"


# Size classes of the directory (seed 002 Annex 1 speaks of small 1–50 and growing 50–100).
SIZE_CLASSES = {
    "1-50": (1, 50),
    "51-100": (51, 100),
    "101-250": (101, 250),
    "251+": (251, None),
}


# Paths of the directory that a cluster's slug must not take.
# Paths of the directory that a cluster's slug must not take.
RESERVED_SLUGS = {
    "register",
    "moderation",
    "landscape",
    "duplicates",
    "networks",
    "classifications",
}


class ClusterQuerySet(LiveQuerySet):
    def public(self):
        """What anyone may see: published, real records."""
        return self.filter(status=Status.PUBLISHED, is_synthetic=False)

    def real(self):
        return self.filter(is_synthetic=False)


def plausible_year(value: int | None) -> None:
    """A founding year (the form's, the API's and the importers' rule)."""
    if value is not None and not 1800 <= value <= 2100:
        raise ValidationError("Enter a year between 1800 and 2100.", code="year_range")


def domain_value(text: str) -> str:
    """A domain as the filter and the facet compare it: folded, trimmed, single-spaced."""
    return " ".join(fold(text or "").replace("|", " ").split())


def domains_key(domains) -> str:
    values = sorted({domain_value(d) for d in domains or []} - {""})
    return "|" + "|".join(values) + "|" if values else ""


def valid_label_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """A label is valid when its expiry date is known and not yet past."""
    return ~Q(**{f"{prefix}label_level": ""}) & Q(**{f"{prefix}label_expires__gte": on or today()})


class ClusterObjectManager(LiveManager.from_queryset(ClusterQuerySet)):
    pass


class Network(TrackedModel):
    """A network or association of clusters, e.g. the European Clusters Alliance."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", "Alliance of national associations"
        ASSOCIATION = "association", "Association"
        NETWORK = "network", "Network"
        ECOSYSTEM = "ecosystem", "Ecosystem"

    code = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="cluster_networks"
    )
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    member_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="member_networks"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:network", args=[self.code])

    def clusters_url(self) -> str:
        """The directory filtered to the network's member clusters."""
        return reverse("clusters:directory") + f"?network={self.code}"


class Cluster(TrackedModel):
    """A cluster organisation. `field_sources` says which document each field came from."""

    # What a manager or a proposer edits (moderated on a published record), then its terms.
    VALUE_FIELDS = (
        "name",
        "country",
        "region",
        "city",
        "description",
        "mission",
        "member_benefits",
        "contact_email",
        "contact_phone",
        "contact_form_url",
        "website",
        "founding_year",
        "members_total",
        "members_sme",
        "members_large",
        "members_research",
        "domains",
        # What the European definition of a cluster organisation asks (clusters/eligibility.py).
        "management_fte",
        "committed_participants",
        "private_participants",
        "services_past_year",
        "priority_areas",
        "eccp_listed",
    )
    TERM_FIELDS = {
        "sectors": Vocabulary.SECTORS,
        "ecosystems": Vocabulary.ECOSYSTEMS,
        "technologies": Vocabulary.TECHNOLOGIES,
        "services": Vocabulary.CLUSTER_SERVICES,
    }

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    former_names = models.JSONField(default=list, blank=True)
    also_known_as = models.JSONField(
        default=list, blank=True, help_text="Other spellings the source documents use."
    )
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clusters",
        help_text="Empty when the source names no single country.",
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="cross_border_clusters",
        help_text="Further countries of a cross-border cluster.",
    )
    region = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    mission = models.TextField(blank=True)
    member_benefits = models.TextField(blank=True)
    # Public contact of the organisation only, never a person's private address.
    contact_email = models.EmailField("organisation e-mail", blank=True)
    contact_phone = models.CharField("organisation phone", max_length=60, blank=True)
    contact_form_url = models.URLField("contact web form", max_length=500, blank=True)
    website = models.URLField(max_length=500, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[plausible_year]
    )
    members_total = models.PositiveIntegerField(null=True, blank=True)
    members_sme = models.PositiveIntegerField("SME members", null=True, blank=True)
    members_large = models.PositiveIntegerField("large-firm members", null=True, blank=True)
    members_research = models.PositiveIntegerField(
        "research-organisation members", null=True, blank=True
    )
    members_note = models.TextField(blank=True, help_text="The source's own words on members.")
    # The eligibility rules of the European cluster quality label (seed 003 L166–L168).
    management_fte = models.DecimalField(
        "dedicated cluster management (full-time equivalents)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    committed_participants = models.PositiveIntegerField(
        "clearly committed cluster participants", null=True, blank=True
    )
    private_participants = models.PositiveIntegerField(
        "of them from the private sector", null=True, blank=True
    )
    services_past_year = models.PositiveIntegerField(
        "different services (activities) in the past year", null=True, blank=True
    )
    priority_areas = models.PositiveSmallIntegerField(
        "strategic priority areas those services address", null=True, blank=True
    )
    eccp_listed = models.BooleanField(
        "listed on the European Cluster Collaboration Platform (ECCP)", null=True, blank=True
    )
    priority_section = models.CharField(
        "cyberwatching.eu priority section",
        max_length=4,
        choices=[
            ("A.1", "A.1 In the catalogue, identified as priority"),
            ("A.2", "A.2 In the catalogue, not identified as priority"),
            ("A.3", "A.3 Not in the catalogue, priority, already contacted"),
            ("A.4", "A.4 Not in the catalogue, priority, not contacted yet"),
        ],
        blank=True,
        db_index=True,
        help_text="The section of seed 000 Annex A that lists the cluster.",
    )
    # Derived on save: members_total, else the sum of the stated parts (see decisions).
    size_members = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True)
    sectors = models.ManyToManyField(
        Term,
        blank=True,
        related_name="clusters_by_sector",
        limit_choices_to={"vocabulary": Vocabulary.SECTORS},
    )
    ecosystems = models.ManyToManyField(
        Term,
        blank=True,
        related_name="clusters_by_ecosystem",
        limit_choices_to={"vocabulary": Vocabulary.ECOSYSTEMS},
    )
    technologies = models.ManyToManyField(
        Term,
        blank=True,
        related_name="clusters_by_technology",
        limit_choices_to={"vocabulary": Vocabulary.TECHNOLOGIES},
    )
    services = models.ManyToManyField(
        Term,
        blank=True,
        related_name="clusters_by_service",
        limit_choices_to={"vocabulary": Vocabulary.CLUSTER_SERVICES},
    )
    domains = models.JSONField(
        "vertical market / domains", default=list, blank=True, help_text="The documents' own words."
    )
    sectors_text = models.JSONField(
        default=list, blank=True, help_text="Sector descriptions as the source writes them."
    )
    networks = models.ManyToManyField(
        Network, through="NetworkMembership", blank=True, related_name="clusters"
    )
    label_level = models.CharField(
        "quality label", max_length=8, choices=LabelLevel.choices, blank=True
    )
    label_issued = models.DateField(null=True, blank=True)
    label_expires = models.DateField(null=True, blank=True, db_index=True)
    field_sources = models.JSONField(
        default=dict, blank=True, help_text="field → list of source documents."
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_clusters",
    )
    is_synthetic = models.BooleanField(default=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    # The domains, folded and fenced ("|ict|cyber security|"), so that the domain filter
    # matches whole entries exactly as the domain facet counts them.
    domains_key = models.TextField(blank=True, editable=False)

    objects = ClusterObjectManager()
    history_exclude = (*TrackedModel.history_exclude, "domains_key")
    all_objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "is_synthetic"])]
        constraints = [
            # One source's total beside another's SME count must never show more SMEs than
            # members: every write path (forms, API, imports, reference loads) is refused.
            models.CheckConstraint(
                condition=Q(members_total__isnull=True)
                | Q(members_sme__isnull=True)
                | Q(members_total__gte=F("members_sme")),
                name="cluster_members_total_not_below_sme",
                violation_error_message="The total of members cannot be below the number of "
                "SME members.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", args=[self.slug])

    # Policy ---------------------------------------------------------------------------------
    @classmethod
    def user_can_create(cls, user) -> bool:
        """Anyone signed in may propose a cluster; it stays pending until approved."""
        return is_member(user)

    def user_can_change(self, user) -> bool:
        return is_admin(user) or self.is_managed_by(user) or self.is_own_registration(user)

    def is_own_registration(self, user) -> bool:
        """A proposer fixes their registration until it is published."""
        return (
            is_member(user)
            and self.submitted_by_id == user.pk
            and self.status in (Status.DRAFT, Status.PENDING)
        )

    def is_managed_by(self, user) -> bool:
        if not is_member(user) or self.pk is None:
            return False
        return self.manager_links.filter(user=user, approved=True).exists()

    def is_visible_to(self, user) -> bool:
        if self.status == Status.PUBLISHED and not self.is_synthetic and not self.is_deleted:
            return True
        return (
            is_admin(user)
            or self.is_managed_by(user)
            or (is_member(user) and self.submitted_by_id == user.pk)
        )

    # Derived values -------------------------------------------------------------------------
    def eligibility_summary(self) -> str:
        from clusterbridge.clusters import eligibility

        return eligibility.summary(self.eligibility())

    def eligibility(self) -> list:
        """The European definition of a cluster organisation, rule by rule."""
        from clusterbridge.clusters import eligibility

        fte = self.management_fte
        return eligibility.check(
            fte=float(fte) if fte is not None else None,
            committed=self.committed_participants,
            private=self.private_participants,
            services=self.services_past_year,
            areas=self.priority_areas,
            eccp=self.eccp_listed,
        )

    def label_validity(self, on: datetime.date | None = None) -> str | None:
        if not self.label_level:
            return None
        if self.label_expires is None:
            return LabelValidity.UNKNOWN
        return (
            LabelValidity.VALID if self.label_expires >= (on or today()) else LabelValidity.EXPIRED
        )

    def all_countries(self) -> list[Country]:
        extra = [c for c in self.countries.all() if c.pk != self.country_id]
        return ([self.country] if self.country else []) + extra

    def sources_of(self, field: str) -> list[dict]:
        return self.field_sources.get(field, [])

    def unique_slug(self) -> str:
        base = slugify(fold(self.name))[:100] or "cluster"
        slug, n = base, 1
        while slug in RESERVED_SLUGS or (
            Cluster.all_objects.filter(slug=slug).exclude(pk=self.pk).exists()
        ):
            n += 1
            slug = f"{base}-{n}"
        return slug

    def prepare_for_save(self) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        if self.members_total is not None:
            self.size_members = self.members_total
        else:
            parts = [self.members_sme, self.members_large, self.members_research]
            known = [p for p in parts if p is not None]
            self.size_members = sum(known) if known else None
        self.search_text = build_search_text(
            self.name,
            " ".join(self.former_names or []),
            " ".join(self.also_known_as or []),
            self.region,
            self.city,
            self.country.label if self.country_id else "",
            self.description,
            self.mission,
            " ".join(self.domains or []),
            " ".join(self.sectors_text or []),
        )
        self.domains_key = domains_key(self.domains)

    def clean(self) -> None:
        """One listed cluster per name (accents, case and punctuation aside): the form, the
        API and the importers refuse a second one with this message."""
        super().clean()
        if (
            self.private_participants is not None
            and self.committed_participants is not None
            and self.private_participants > self.committed_participants
        ):
            raise ValidationError(
                {"private_participants": "More private participants than committed ones."}
            )
        if (
            self.members_total is not None
            and self.members_sme is not None
            and self.members_total < self.members_sme
        ):
            raise ValidationError(
                {
                    "members_total": f"The total of members ({self.members_total}) cannot be "
                    f"below the number of SME members ({self.members_sme}). If two sources "
                    "disagree, keep each source's figures with that source."
                }
            )
        key = normalise_name(self.name)
        stored = Cluster.all_objects.filter(pk=self.pk).values_list("name", flat=True).first()
        if not key or (stored is not None and normalise_name(stored) == key):
            return
        listed = Cluster.objects.filter(status__in=[Status.PUBLISHED, Status.PENDING])
        for other in listed.exclude(pk=self.pk).values_list("name", flat=True):
            if normalise_name(other) == key:
                raise ValidationError({"name": f"A cluster named “{other}” is already listed."})

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)


class NetworkMembership(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    provenance = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "network"], name="one_membership_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster} ∈ {self.network}"


class ClusterManager(TrackedModel):
    """A person who manages a cluster's profile (ECCP: “add your colleague”)."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        CO_MANAGER = "co-manager", "Co-manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_links"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="manager_links")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.OWNER)
    # A trusted manager's edits are published at once (still in the history).
    trusted = models.BooleanField(default=False)
    # A claim waits for an administrator; links made by an administrator start approved.
    approved = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cluster"], name="one_link_per_manager_and_cluster"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.cluster} ({self.role})"

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_admin(user)

    def user_can_change(self, user) -> bool:
        return is_admin(user)


class ChangeRequestQuerySet(LiveQuerySet):
    def pending(self):
        return self.filter(status=ChangeRequest.Status.PENDING)


class ChangeRequest(TrackedModel):
    """Changes a manager proposes to a published cluster, waiting for moderation."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="change_requests")
    # {field: new value}; many-to-many fields as lists of codes.
    changes = models.JSONField(default=dict)
    # {field: value when submitted}, to show the difference even after later edits.
    original = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="cluster_changes",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = LiveManager.from_queryset(ChangeRequestQuerySet)()
    all_objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Change to {self.cluster} #{self.pk}"

    def diff(self) -> list[tuple[str, object, object]]:
        return [(name, self.original.get(name), value) for name, value in self.changes.items()]

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_member(user)

    def user_can_change(self, user) -> bool:
        return is_admin(user)


class ClassificationQuerySet(LiveQuerySet):
    def facts(self):
        """Stated by a source or confirmed by a person: what profiles and facets show."""
        return self.filter(state__in=[Classification.State.STATED, Classification.State.CONFIRMED])

    def suggested(self):
        return self.filter(state=Classification.State.SUGGESTED)

    def pending_for(self, user):
        """Suggestions `user` may decide, of live clusters: every one for editors and
        administrators, those of the clusters they manage (approved) for the others, none
        for anyone else. Mirrors `Classification.user_can_decide` as one query."""
        pending = self.suggested().filter(cluster__deleted_at__isnull=True)
        if not (user and user.is_authenticated):
            return pending.none()
        if is_editor(user) or is_admin(user):
            return pending
        if not is_member(user):
            return pending.none()
        return pending.filter(
            cluster__manager_links__user=user, cluster__manager_links__approved=True
        )


class Classification(TrackedModel):
    """One sector, ecosystem or technology of a cluster, with where it comes from.

    Stated by a source (a fact, with the source's words and line), or inferred from words
    (a suggestion with its evidence) that editors and the cluster's managers confirm or
    reject. The cluster's `sectors` / `ecosystems` / `technologies` hold the facts only
    (stated and confirmed), so facets and public pages never count a suggestion."""

    class State(models.TextChoices):
        STATED = "stated", "Stated by the source"
        SUGGESTED = "suggested", "Suggested, not confirmed"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    VOCABULARIES = {
        Vocabulary.SECTORS: "sectors",
        Vocabulary.ECOSYSTEMS: "ecosystems",
        Vocabulary.TECHNOLOGIES: "technologies",
    }

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="classifications")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="classifications")
    state = models.CharField(max_length=12, choices=State.choices, db_index=True)
    evidence = models.JSONField(
        default=list, blank=True, help_text="The source's words behind the classification."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = LiveManager.from_queryset(ClassificationQuerySet)()
    all_objects = ClassificationQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "term__vocabulary", "term__label"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "term"], name="one_classification_per_term")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.term} ({self.get_state_display()})"

    @property
    def field(self) -> str:
        """The cluster's many-to-many field this classification belongs to."""
        return self.VOCABULARIES[self.term.vocabulary]

    @property
    def is_fact(self) -> bool:
        return self.state in (self.State.STATED, self.State.CONFIRMED)

    def user_can_decide(self, user) -> bool:
        """Editors and the cluster's own managers confirm or reject suggestions."""
        return bool(user and user.is_authenticated) and (
            is_editor(user) or is_admin(user) or self.cluster.is_managed_by(user)
        )

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_editor(user) or is_admin(user)

    def user_can_change(self, user) -> bool:
        return self.user_can_decide(user)


__all__ = [
    "ChangeRequest",
    "Classification",
    "Cluster",
    "ClusterManager",
    "LabelLevel",
    "LabelValidity",
    "Network",
    "NetworkMembership",
    "SIZE_CLASSES",
    "Status",
    "normalise_name",
]

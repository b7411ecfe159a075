"""The marketplace: offers, needs and partner searches posted by organisations, pre-validated
by a cluster the organisation is a member of, approved by the platform's moderators, then
published until they expire or are withdrawn (seed 000 L503–519; seed 003, ECCP partner
search; seed 004 L11–13 and L896–928 for the crisis burst and value-chain disruptions).

Every write goes through `marketplace/services.py`; the status changes only through its
named steps (submit, pre-validate, approve, send back, withdraw, expire).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts import roles
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel
from clusterbridge.core.search import build_search_text
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary

DESCRIPTION_MAX = 5000
MESSAGE_MAX = 2000
QUANTITY_MAX = 10**12
# A post is published for at most this long; the author can post it again afterwards.
LONGEST_VALIDITY = datetime.timedelta(days=366)


class Kind(models.TextChoices):
    OFFER = "offer", "Offer"
    NEED = "need", "Need"
    PARTNER_SEARCH = "partner-search", "Partner search"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Normal"
    CRISIS = "crisis", "Crisis"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for the cluster's pre-validation"
    MODERATION = "moderation", "Waiting for the platform's moderators"
    RETURNED = "returned", "Sent back to the author"
    PUBLISHED = "published", "Published"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The states in which the author may still change the text of a post.
EDITABLE = (Status.DRAFT, Status.RETURNED)
# Waiting for somebody's decision.
IN_REVIEW = (Status.SUBMITTED, Status.MODERATION)


def is_moderator(user) -> bool:
    """The platform's moderators are its administrators (PRODUCT: "platform admin: moderate
    registrations and marketplace posts")."""
    return roles.is_admin(user)


class PostQuerySet(LiveQuerySet):
    # Synthetic posts are for benchmarks: a benchmark's throwaway database shows them in the
    # public list (`public` and the list's index read this).
    show_synthetic = False

    def published(self, today: datetime.date | None = None):
        """What anyone may see: published, still valid, of a live organisation. A post past
        its date leaves every list at once, before `expire_posts` records it as expired."""
        today = today or timezone.localdate()
        return self.filter(
            status=Status.PUBLISHED,
            organisation__deleted_at=None,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))

    def public(self):
        """The public list: published and real (synthetic posts are for benchmarks)."""
        if self.show_synthetic:
            return self.published()
        return self.published().filter(is_synthetic=False)

    def of_user(self, user):
        """Posts of the organisations the person is an active member of (every state)."""
        if not roles.is_member(user):
            return self.none()
        return self.filter(
            organisation__memberships__user=user,
            organisation__memberships__status="active",
            organisation__memberships__deleted_at=None,
        )

    def visible_to(self, user):
        """Published posts, plus the person's own organisations' posts, plus what waits for
        their decision (cluster managers, moderators)."""
        if is_moderator(user):
            return self
        if not roles.is_member(user):
            return self.published()
        own = self.of_user(user).values("pk")
        managed = self.filter(
            status=Status.SUBMITTED,
            cluster__manager_links__user=user,
            cluster__manager_links__approved=True,
        ).values("pk")
        return self.filter(
            Q(pk__in=self.published().values("pk")) | Q(pk__in=own) | Q(pk__in=managed)
        )


class PostManager(LiveManager.from_queryset(PostQuerySet)):
    pass


class Post(TrackedModel):
    """One offer, need or partner search of an organisation."""

    # Editable by the author (pages, API and services share these names).
    VALUE_FIELDS = (
        "organisation",
        "kind",
        "title",
        "description",
        "quantity",
        "unit",
        "urgency",
        "valid_until",
        "roles_sought",
        "funding_call",
        "cluster",
        "is_disruption",
        "disrupted_supply",
        "disrupted_since",
    )
    TERM_FIELDS = {"ecosystems": Vocabulary.ECOSYSTEMS, "sectors": Vocabulary.SECTORS}
    M2M_FIELDS = ("features", *TERM_FIELDS, "countries")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="marketplace_posts",
        editable=False,
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField(
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
        help_text="What is offered or needed, for whom, on what terms.",
    )
    features = models.ManyToManyField(
        Feature,
        blank=True,
        related_name="marketplace_posts",
        help_text="Techniques, processes, domains and support from the feature taxonomy.",
    )
    ecosystems = models.ManyToManyField(
        Term,
        blank=True,
        related_name="marketplace_posts_by_ecosystem",
        limit_choices_to={"vocabulary": Vocabulary.ECOSYSTEMS},
        verbose_name="industrial ecosystems",
    )
    sectors = models.ManyToManyField(
        Term,
        blank=True,
        related_name="marketplace_posts_by_sector",
        limit_choices_to={"vocabulary": Vocabulary.SECTORS},
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="marketplace_posts",
        help_text="Offered to, or sought in, these countries; none means anywhere.",
    )
    quantity = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(QUANTITY_MAX)],
        help_text="Where it applies, e.g. 200000 (with the unit “masks per week”).",
    )
    unit = models.CharField(max_length=80, blank=True, help_text="e.g. “masks per week”.")
    urgency = models.CharField(
        max_length=8, choices=Urgency.choices, default=Urgency.NORMAL, db_index=True
    )
    valid_until = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The post leaves the marketplace after this day. For a partner search: "
        "the closing date.",
    )
    roles_sought = models.TextField(
        blank=True,
        max_length=MESSAGE_MAX,
        validators=[MaxLengthValidator(MESSAGE_MAX)],
        help_text="Partner searches: the roles of the partners wanted (one per line).",
    )
    funding_call = models.ForeignKey(
        "funding.Instrument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_searches",
        help_text="Partner searches: the funding call the project applies to.",
    )
    # The cluster that pre-validates the post; shown on the published post as its validator
    # and contact. Empty when the organisation is in no cluster (the moderators decide).
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="marketplace_posts",
        verbose_name="pre-validating cluster",
    )
    # Value-chain disruption (seed 004 L896–928): a supply that stopped — what, where (the
    # countries) and since when.
    is_disruption = models.BooleanField(
        "value-chain disruption",
        default=False,
        help_text="Needs only: a supply that stopped.",
    )
    disrupted_supply = models.CharField("supply that stopped", max_length=200, blank=True)
    disrupted_since = models.DateField("stopped since", null=True, blank=True)

    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    return_reason = models.TextField(blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    prevalidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    prevalidated_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The author stopped taking expressions of interest (the threads already begun stay
    # readable and answerable); set and cleared only by `services.close_interest`.
    interest_closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The author found the partner (or buyer, or supplier) this post looked for; set only by
    # `services.mark_partner_found`, which also closes interest. The partner may be named
    # in words; when the words are the name of an organisation on the platform, it is linked.
    partner_found_at = models.DateTimeField(null=True, blank=True, editable=False)
    partner_name = models.CharField(max_length=200, blank=True, editable=False)
    partner_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    is_synthetic = models.BooleanField(default=False, db_index=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    # The API client's `Idempotency-Key` of the creating request: the same key from the same
    # person creates one post, however often the request is repeated.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)

    objects = PostManager()
    all_objects = PostQuerySet.as_manager()

    history_exclude = ("updated_at", "created_at", "search_text", "idempotency_key")

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="one_post_per_idempotency_key"
            )
        ]
        indexes = [
            models.Index(fields=["status", "kind", "valid_until"], name="post_status_kind_idx"),
            models.Index(fields=["status", "-published_at"], name="post_newest_idx"),
            # The list's default order: crisis first, then the newest.
            models.Index(fields=["status", "urgency", "-published_at"], name="post_list_order_idx"),
            # The list index's freshness check (count, sum of ids, last change) reads this
            # index alone instead of every row, and the posts changed since.
            models.Index(fields=["updated_at"], name="post_changed_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("marketplace:detail", args=[self.pk])

    # Policy ---------------------------------------------------------------------------------
    @classmethod
    def user_can_create(cls, user) -> bool:
        """Posting acts towards others: a verified account that belongs to an organisation
        (which organisation is checked by the service)."""
        return roles.is_verified(user)

    def user_can_change(self, user) -> bool:
        """The organisation's active members (the author among them) and administrators."""
        if roles.is_admin(user):
            return True
        return self.organisation_id is not None and self.organisation.has_member(user)

    def user_can_view(self, user) -> bool:
        if self.is_public:
            return True
        return (
            is_moderator(user)
            or self.user_can_change(user)
            or (
                self.status == Status.SUBMITTED
                and self.cluster_id
                and self.cluster.is_managed_by(user)
            )
        )

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and not self.is_deleted
            and (self.valid_until is None or self.valid_until >= timezone.localdate())
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def takes_interest(self) -> bool:
        """New expressions of interest are welcome: public, and the author has not closed
        interest (nor found the partner)."""
        return self.is_public and self.interest_closed_at is None

    def user_can_follow(self, user) -> bool:
        """Anyone signed in who is not of the post's organisation (its members hear of it
        anyway) follows a public post."""
        return roles.is_member(user) and self.is_public and not self.organisation.has_member(user)

    # Rules across fields ----------------------------------------------------------------------
    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == Kind.PARTNER_SEARCH:
            if not (self.roles_sought or "").strip():
                errors["roles_sought"] = "Name the roles of the partners you are looking for."
            if self.valid_until is None:
                errors["valid_until"] = "A partner search needs a closing date."
        else:
            if self.funding_call_id:
                errors["funding_call"] = "Only partner searches name a funding call."
            if (self.roles_sought or "").strip():
                errors["roles_sought"] = "Only partner searches list roles sought."
        if self.funding_call_id and self.funding_call.kind == "programme":
            errors["funding_call"] = "Choose a call, not a programme."
        if self.quantity is not None and not (self.unit or "").strip():
            errors["unit"] = "Say what the quantity counts, e.g. “masks per week”."
        if (self.unit or "").strip() and self.quantity is None:
            errors["quantity"] = "Give the quantity the unit counts."
        if self.is_disruption:
            if self.kind != Kind.NEED:
                errors["is_disruption"] = "Only a need can report a value-chain disruption."
            if not (self.disrupted_supply or "").strip():
                errors["disrupted_supply"] = "Say which supply stopped."
            if self.disrupted_since and self.disrupted_since > timezone.localdate():
                errors["disrupted_since"] = "A disruption cannot start in the future."
        elif (self.disrupted_supply or "").strip() or self.disrupted_since:
            errors["is_disruption"] = "Tick “value-chain disruption” to report a stopped supply."
        if self.valid_until and self.is_editable:
            today = timezone.localdate()
            if self.valid_until < today:
                errors["valid_until"] = "Choose a day from today on."
            elif self.valid_until > today + LONGEST_VALIDITY:
                errors["valid_until"] = "A post stays at most one year: choose an earlier day."
        if errors:
            raise ValidationError(errors)

    # Saving ---------------------------------------------------------------------------------
    def prepare_for_save(self) -> None:
        self.search_text = build_search_text(
            self.title,
            self.description,
            self.roles_sought,
            self.unit,
            self.disrupted_supply,
            self.get_kind_display() if self.kind else "",
        )

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)


class PostsVersion(models.Model):
    """One row whose token changes with every write to posts or organisations (database
    triggers, `matching.ensure_triggers`): a server process compares it with the token its
    index of published posts was read at, and only when it differs runs the fuller check
    (number of posts, sum of ids, last change) that says what to read again. A random token,
    not a counter: a rolled-back transaction puts back an old value."""

    token = models.CharField(max_length=40, default="0")

    def __str__(self) -> str:
        return self.token


class Message(models.Model):
    """A message about a post, sent through the platform to the post's organisation (the
    author's e-mail address is never shown). Kept so both sides see the thread, and to
    limit how many messages one person sends."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="marketplace_messages",
    )
    sender_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A message from the post's organisation to the person who wrote first (a reply).
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(max_length=MESSAGE_MAX, validators=[MaxLengthValidator(MESSAGE_MAX)])
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"Message about {self.post_id} from {self.sender_id}"


class Follow(TrackedModel):
    """A person following a published post: told by e-mail (through the notifications
    outbox) when it changes — edited, withdrawn, expired, interest closed, partner found —
    and reminded once before its closing date. Unfollowing is a soft delete; following
    again restores the same row."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marketplace_follows"
    )
    # The closing date this follower was reminded of: the reminder run claims the row by a
    # conditional UPDATE of this field, so two runs never remind twice.
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    history_exclude = ("updated_at", "created_at", "reminded_for")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="follow_a_post_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.post_id}"

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url()

    @classmethod
    def user_can_create(cls, user) -> bool:
        return roles.is_member(user)

    def user_can_change(self, user) -> bool:
        return roles.is_member(user) and user.pk == self.user_id


__all__ = ["Follow", "Kind", "Message", "Post", "PostsVersion", "Status", "Urgency", "is_moderator"]

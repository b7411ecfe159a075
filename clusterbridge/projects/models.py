"""Projects (solutions) described by the feature taxonomy, as in seed 001 §2.1 and Annex 2.

A project belongs to a user (`owner`) and may belong to a cluster (`owner_cluster`), whose
approved managers then see and change it too. A private project is seen only by its owner,
its cluster's managers and administrators.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from clusterbridge.accounts.roles import is_admin, is_editor, is_member
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel
from clusterbridge.core.search import build_search_text
from clusterbridge.taxonomy.models import Country, Feature


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    PROTOTYPING = "prototyping", "Prototyping"
    DEMONSTRATOR = "demonstrator", "Demonstrator"
    PILOT = "pilot", "Pilot"
    MARKET = "market", "On the market"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private to its owner"


def managed_cluster_ids(user):
    from clusterbridge.clusters.models import ClusterManager

    return ClusterManager.objects.filter(user=user, approved=True).values("cluster_id")


class ProjectQuerySet(LiveQuerySet):
    def visible_to(self, user):
        if is_admin(user):
            return self
        if is_member(user):
            return self.filter(
                Q(visibility=Visibility.PUBLIC)
                | Q(owner=user)
                | Q(owner_cluster__in=managed_cluster_ids(user))
            )
        return self.filter(visibility=Visibility.PUBLIC)

    def real(self):
        return self.filter(is_synthetic=False)


class ProjectManager(LiveManager.from_queryset(ProjectQuerySet)):
    pass


class Project(TrackedModel):
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=300, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    stage = models.CharField(
        max_length=16,
        choices=Stage.choices,
        blank=True,
        help_text="Left empty when the source does not say.",
    )
    description = models.TextField(blank=True)
    features = models.ManyToManyField(
        Feature,
        blank=True,
        related_name="projects",
        help_text="What the solution uses, does and needs; application domains beyond "
        "security are the features of category A.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    owner_cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name="owner cluster",
        help_text="The cluster that owns the project, when a cluster does; its managers may "
        "change it.",
    )
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    call = models.CharField(
        max_length=200, blank=True, help_text="The call that funded it, e.g. “SecurIT Open call 1”."
    )
    supporting_cluster = models.CharField(max_length=200, blank=True)
    name_variants = models.JSONField(
        default=list, blank=True, help_text="Spellings found in the source documents."
    )
    source_doubts = models.JSONField(
        default=list, blank=True, help_text="Doubtful cells and names in the source."
    )
    is_synthetic = models.BooleanField(default=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = ProjectManager()
    all_objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["call", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    def prepare_for_save(self) -> None:
        """Derived fields; called by save() and by bulk writers."""
        self.search_text = build_search_text(
            self.name,
            " ".join(self.name_variants or []),
            self.organisation,
            self.description,
            self.call,
            self.supporting_cluster,
        )

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    # Policy ---------------------------------------------------------------------------------
    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_member(user)

    @property
    def public_owner_cluster(self):
        """The owning cluster when the public may see it (a withdrawn or pending one is not
        named on the project's page or in the API)."""
        cluster = self.owner_cluster if self.owner_cluster_id else None
        return cluster if cluster is not None and cluster.is_visible_to(None) else None

    def is_owned_by(self, user) -> bool:
        """The owner, or an approved manager of the owning cluster."""
        if not is_member(user):
            return False
        if self.owner_id == user.pk:
            return True
        return bool(self.owner_cluster_id and self.owner_cluster.is_managed_by(user))

    def user_can_view(self, user) -> bool:
        if self.visibility == Visibility.PUBLIC or is_admin(user):
            return True
        return self.is_owned_by(user)

    def user_can_change(self, user) -> bool:
        if not is_member(user) or not self.user_can_view(user):
            return False
        return self.is_owned_by(user) or is_editor(user)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


__all__ = ["Project", "Stage", "Visibility"]

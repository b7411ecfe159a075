"""Ecosystem analytics: regional employment by industry imported from Eurostat (the base of
location quotients and specialisation nodes), and groups of projects around end-user areas
(seed 001 §3.3).

A `RegionalDataset` is the tracked record (history, version, soft delete); its
`RegionalValue` rows are the file's content, replaced as a whole by the import that writes
the dataset's history entry — they are never edited one by one.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel


class DatasetQuerySet(LiveQuerySet):
    def real(self):
        return self.filter(is_synthetic=False)


class RegionalDataset(TrackedModel):
    class Origin(models.TextChoices):
        FILE = "file", "Uploaded file"
        API = "api", "Eurostat dissemination API"

    code = models.SlugField(
        max_length=60, unique=True, help_text="Eurostat's dataset code, e.g. sbs_r_nuts06_r2."
    )
    title = models.CharField(max_length=300, blank=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.FILE)
    source_name = models.CharField(
        max_length=500, blank=True, help_text="The file's name or the address it was read from."
    )
    file_format = models.CharField(max_length=12, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    observations = models.PositiveIntegerField(default=0)
    confidential = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    periods = models.JSONField(default=list, blank=True)
    series = models.JSONField(default=list, blank=True)
    geo_labels = models.JSONField(default=dict, blank=True)
    industry_labels = models.JSONField(default=dict, blank=True)
    is_synthetic = models.BooleanField(default=False, db_index=True)

    objects = LiveManager.from_queryset(DatasetQuerySet)()
    all_objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("analytics:specialisation") + f"?dataset={self.code}"

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_editor(user)

    def user_can_change(self, user) -> bool:
        return is_editor(user)

    def citation(self) -> str:
        """What every number computed from it says about where it comes from."""
        when = self.imported_at.date().isoformat() if self.imported_at else "?"
        origin = "Eurostat API" if self.origin == self.Origin.API else "file"
        name = f" {self.source_name}" if self.source_name else ""
        return f"Eurostat dataset {self.code} ({origin}{name}), imported {when}"


class RegionalValue(models.Model):
    dataset = models.ForeignKey(RegionalDataset, on_delete=models.CASCADE, related_name="values")
    series = models.CharField(max_length=200)
    geo = models.CharField(max_length=16)
    industry = models.CharField(max_length=40)
    period = models.PositiveSmallIntegerField()
    # None when the file says ":" (not available) or flags the cell "c" (confidential).
    value = models.FloatField(null=True, blank=True)
    flags = models.CharField(max_length=12, blank=True)

    class Meta:
        indexes = [models.Index(fields=["dataset", "series", "period"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "series", "geo", "industry", "period"],
                name="regional_value_unique_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.geo} {self.industry} {self.period}"


class ProjectGroup(TrackedModel):
    """Projects grouped around an end-user centric area (seed 001 L806–812), with a
    follow-up manager and the end users to meet."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    area = models.TextField("end-user area", blank=True)
    end_users = models.TextField(
        blank=True, help_text="The end users of the area, as the source or the editor names them."
    )
    projects = models.ManyToManyField("projects.Project", blank=True, related_name="groups")
    features = models.ManyToManyField(
        "taxonomy.Feature",
        blank=True,
        related_name="project_groups",
        help_text="What the group's projects share.",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_project_groups",
        verbose_name="follow-up manager",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    source_notes = models.JSONField(default=list, blank=True)

    objects = LiveManager.from_queryset(LiveQuerySet)()
    all_objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("analytics:group", args=[self.slug])

    def prepare_for_save(self) -> None:
        if not self.slug:
            base = slugify(self.name)[:100] or "group"
            slug, n = base, 1
            while ProjectGroup.all_objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_editor(user)

    def user_can_change(self, user) -> bool:
        return is_editor(user)

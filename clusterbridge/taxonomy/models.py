"""The reference taxonomy: feature categories and features (seed 001 Annex 1–2), the
controlled vocabularies (ecosystems, sectors, technologies, services) and countries.

Codes are stable identifiers used by the API, filters and imports; labels are editable by
administrators, and every edit is in the history."""

from django.db import models
from django.urls import reverse

from clusterbridge.accounts.roles import is_admin
from clusterbridge.core.models import TrackedModel


class TaxonomyModel(TrackedModel):
    """Reference entries: only administrators change them."""

    code = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=dict, blank=True, help_text="OCR fixes and source notes.")

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}" if self.code[:1].isupper() else self.label

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_admin(user)


class FeatureCategory(TaxonomyModel):
    description = models.TextField(blank=True)

    class Meta(TaxonomyModel.Meta):
        verbose_name_plural = "feature categories"

    def __str__(self) -> str:
        return self.label


class Feature(TaxonomyModel):
    """One feature of the taxonomy, e.g. T1 “AI (ML)” in category T “Techniques”."""

    category = models.ForeignKey(FeatureCategory, on_delete=models.PROTECT, related_name="features")

    class Meta(TaxonomyModel.Meta):
        ordering = ["category__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:index") + f"#{self.code}"


class Vocabulary(models.TextChoices):
    ECOSYSTEMS = "ecosystems", "Industrial ecosystems"
    SECTORS = "sectors", "ECCP sectors"
    TECHNOLOGIES = "technologies", "Advanced technologies"
    ECCP_SERVICES = "eccp-services", "Services of cluster organisations (ECCP)"
    CLUSTER_SERVICES = "cluster-services", "Services offered by cluster organisations"


class Term(TaxonomyModel):
    """An entry of one controlled vocabulary (codes are unique within the vocabulary)."""

    code = models.CharField(max_length=64)
    vocabulary = models.CharField(max_length=32, choices=Vocabulary.choices, db_index=True)
    group = models.CharField(max_length=64, blank=True)

    class Meta(TaxonomyModel.Meta):
        ordering = ["vocabulary", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], name="term_code_unique_per_vocabulary"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Country(TaxonomyModel):
    """A country with its ISO 3166-1 alpha-2 code (`code`)."""

    alpha3 = models.CharField(max_length=3, blank=True)
    groups = models.JSONField(default=list, blank=True)

    class Meta(TaxonomyModel.Meta):
        ordering = ["label"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.label

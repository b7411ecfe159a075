"""Features suggested for a record (a funding instrument, a project…) from its description.

A suggestion waits until someone who may change the record accepts it (the feature is added
to the record's `features`) or rejects it (it is kept, so the same feature is not suggested
again). Records are addressed generically (content type + id), like the history.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from clusterbridge.core.models import TrackedModel
from clusterbridge.taxonomy.models import Feature


class FeatureSuggestion(TrackedModel):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="suggestions")
    score = models.FloatField()
    evidence = models.JSONField(
        default=list,
        blank=True,
        help_text="The words of the description that triggered it (where no term matched, "
        "those the trained model weighed most).",
    )
    model_probability = models.FloatField(
        null=True,
        blank=True,
        help_text="Set when the words alone were too weak and the trained model vouched for "
        "them: its probability that the description states the feature.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    @property
    def term_matched(self) -> bool:
        """False when no term of the feature matched: the trained model read it in the words
        of `evidence` (engine.Suggestion.term_matched; only then is the score 0)."""
        return self.score > 0

    class Meta:
        ordering = ["-score", "feature__order", "feature__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "feature"],
                name="one_suggestion_per_record_and_feature",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self) -> str:
        return f"{self.feature.code} suggested for {self.content_type.model} #{self.object_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.SUGGESTED

    # A suggestion is decided by whoever may change the record it is about.
    @classmethod
    def user_can_create(cls, user) -> bool:
        return False

    def user_can_change(self, user) -> bool:
        target = self.target
        return target is not None and target.user_can_change(user)

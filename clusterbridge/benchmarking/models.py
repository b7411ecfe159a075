"""Benchmarking of cluster organisations (seed 002 §1.3.3): indicators shipped as reference
data, and a cluster's self-assessments answered against a copy of the indicators taken when
the assessment began (a later indicator version never changes an old assessment)."""

import datetime
import math
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts.roles import is_admin
from clusterbridge.clusters.models import Cluster
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel


class Block(models.TextChoices):
    IDENTIFICATION = "I", "I. Cluster identification data"
    CAPACITY = "II", "II. Capacity to support innovation and digitalisation"
    EXCELLENCE = "III", "III. Cluster management excellence"
    ACHIEVEMENTS = "IV", "IV. Achievements and outlook"
    OUTSIDE = "V", "V. The cluster seen from outside (life-cycle)"


BLOCKS = [value for value, _ in Block.choices]


class AnswerType(models.TextChoices):
    NUMBER = "number", "Number"
    YES_NO = "yes_no", "Yes / no"
    CHOICE = "choice", "Choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    YEAR = "year", "Year"
    TEXT = "text", "Text"


TEXT_LIMIT = 4000


class Indicator(TrackedModel):
    """One question of the questionnaire, with its source in the seeds."""

    code = models.CharField(max_length=20, unique=True)
    block = models.CharField(max_length=4, choices=Block.choices)
    topic = models.CharField(max_length=200)
    question = models.TextField()
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices)
    # [{"value", "label"}] or "vocabulary:<code>" (resolved when the assessment starts).
    choices = models.JSONField(default=list, blank=True)
    minimum = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    weight = models.FloatField(default=1.0)
    # {"kind": "yes" | "at_least" | "share_of_choices" | "choice_points", ...}; {} = not scored
    scoring = models.JSONField(default=dict, blank=True)
    eligibility = models.CharField(max_length=30, blank=True)
    lifecycle = models.CharField(max_length=30, blank=True)
    prefill = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)
    catalogue_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.question[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("benchmarking:index") + f"#{self.code}"

    def clean(self) -> None:
        if self.answer_type in (AnswerType.CHOICE, AnswerType.MULTIPLE_CHOICE) and not self.choices:
            raise ValidationError({"choices": "A choice question needs its choices."})
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": "The maximum is below the minimum."})
        if self.weight < 0:
            raise ValidationError({"weight": "A weight cannot be negative."})

    def source_lines(self) -> str:
        return "; ".join(
            f"{p['document'][:3]} L{p['lines'][0]}"
            + (f"–{p['lines'][1]}" if p["lines"][1] != p["lines"][0] else "")
            for p in self.provenance
        )


def clean_answer(spec: dict, raw) -> object:
    """The stored value of one answer to the indicator `spec` (a snapshot dict), or None
    when empty; ValidationError with a message a person understands otherwise."""
    kind = spec["answer_type"]
    if raw is None or raw == "" or raw == []:
        return None
    if kind == AnswerType.MULTIPLE_CHOICE:
        values = raw if isinstance(raw, list | tuple) else [raw]
        allowed = {c["value"] for c in spec.get("choices", [])}
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValidationError(f"Not one of the choices: {', '.join(map(str, unknown))}.")
        return sorted(set(values))
    if isinstance(raw, list):
        raise ValidationError("Give one answer.")
    if kind == AnswerType.CHOICE:
        if raw not in {c["value"] for c in spec.get("choices", [])}:
            raise ValidationError(f"“{raw}” is not one of the choices.")
        return raw
    if kind == AnswerType.YES_NO:
        text = str(raw).strip().lower()
        if text in ("yes", "true", "1"):
            return True
        if text in ("no", "false", "0"):
            return False
        raise ValidationError("Answer yes or no.")
    if kind == AnswerType.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_LIMIT:
            raise ValidationError(f"At most {TEXT_LIMIT} characters, please ({len(text)} given).")
        return text or None
    if kind == AnswerType.YEAR:
        try:
            year = int(str(raw).strip())
        except ValueError:
            raise ValidationError("Give a year, e.g. 2012.") from None
        this_year = timezone.now().year
        if not 1800 <= year <= this_year:
            raise ValidationError(f"Give a year between 1800 and {this_year}.")
        return year
    # number
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError("Give a number, e.g. 12 or 0.5.") from None
    if not number.is_finite():
        raise ValidationError("Give a number, e.g. 12 or 0.5.")
    value = float(number)
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None and value < low:
        raise ValidationError(f"Give a number of at least {low:g}.")
    if high is not None and value > high:
        raise ValidationError(f"Give a number of at most {high:g}.")
    return int(value) if math.isclose(value, round(value)) and "." not in str(raw) else value


class AssessmentQuerySet(LiveQuerySet):
    def submitted(self):
        return self.filter(status=Assessment.Status.SUBMITTED)

    def for_user(self, user):
        """The assessments a person may read: their clusters' (administrators: all)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_admin(user):
            return self
        return self.filter(
            cluster__manager_links__user=user,
            cluster__manager_links__approved=True,
            cluster__manager_links__deleted_at=None,
        ).distinct()


class Assessment(TrackedModel):
    """One self-assessment of a cluster organisation, answered over several sittings."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    catalogue_version = models.CharField(max_length=40)
    # The indicators as they were when the assessment began: [{code, block, question, ...,
    # "version": the indicator record's version}].
    indicators = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    # Answers taken from the cluster's profile and not yet confirmed by the manager.
    prefilled = models.JSONField(default=list, blank=True)
    completion = models.FloatField(default=0.0, editable=False)
    # Derived on every write (scoring.py): per-block scores 0–100 and the size band, so peer
    # views read two small columns instead of every answer.
    scores = models.JSONField(default=dict, blank=True, editable=False)
    size_band = models.CharField(max_length=12, blank=True, editable=False, db_index=True)
    stage = models.CharField(max_length=20, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A network may see aggregate figures over its members who agree.
    share_with_networks = models.BooleanField(default=False)
    is_synthetic = models.BooleanField(default=False, db_index=True)

    objects = LiveManager.from_queryset(AssessmentQuerySet)()
    all_objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster"],
                condition=models.Q(status="draft", deleted_at=None),
                name="one_open_draft_per_cluster",
            )
        ]

    def __str__(self) -> str:
        day = (
            timezone.localtime(self.created_at).date() if self.created_at else datetime.date.today()
        )
        return f"Assessment of {self.cluster} ({day})"

    def get_absolute_url(self) -> str:
        return reverse("benchmarking:assessment", args=[self.pk])

    @classmethod
    def user_can_create(cls, user) -> bool:
        from clusterbridge.accounts.roles import is_member

        return is_member(user)

    def user_can_change(self, user) -> bool:
        return is_admin(user) or self.cluster.is_managed_by(user)

    def user_can_view(self, user) -> bool:
        return self.user_can_change(user)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def spec(self, code: str) -> dict | None:
        return next((i for i in self.indicators if i["code"] == code), None)

    def clean(self) -> None:
        errors = {}
        for code, raw in (self.answers or {}).items():
            spec = self.spec(code)
            if spec is None:
                errors[code] = "No such question in this assessment."
                continue
            try:
                clean_answer(spec, raw)
            except ValidationError as error:
                errors[code] = error.messages
        if errors:
            raise ValidationError(
                {
                    "answers": [
                        f"{k}: {' '.join(v) if isinstance(v, list) else v}"
                        for k, v in errors.items()
                    ]
                }
            )

    def prepare_for_save(self) -> None:
        from clusterbridge.benchmarking import scoring

        self.completion = scoring.completion(self.indicators, self.answers)
        self.scores = scoring.block_scores(self.indicators, self.answers)
        self.size_band = scoring.size_band(self.answers)
        self.stage = scoring.lifecycle_stage(self.indicators, self.answers).code

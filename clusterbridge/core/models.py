"""Shared model pieces: the tracked base model (timestamps, provenance, soft delete) and
the one append-only change history for every domain record (NetBox's ObjectChange, but
written by explicit service calls — see core/history.py)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from clusterbridge.core import validation


class LiveQuerySet(models.QuerySet):
    _count_from = None

    def counted_by(self, plain):
        """This (ranked) queryset counted as `plain`: the same rows without the full-text
        join, which SQLite counts far faster. Kept on this instance only (paginators count
        the queryset they were given)."""
        self._count_from = plain
        return self

    def count(self):
        if self._count_from is not None:
            return self._count_from.count()
        return super().count()

    def live(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager.from_queryset(LiveQuerySet)):
    """The default manager: soft-deleted records are invisible unless asked for."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class TrackedModel(models.Model):
    """Base for every domain record: history, soft delete and provenance.

    `provenance` is a list of {"document": file name, "lines": [first, last]} for records
    loaded from the source documents; empty for records made on the site.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    provenance = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    # Incremented by every write through the model's service (core/services.py): the API's
    # ETag, the If-Match precondition and the edit forms' conflict check compare it.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LiveManager()
    all_objects = LiveQuerySet.as_manager()

    # Fields left out of history snapshots: they change on every save and say nothing.
    # (`version` is always left out: a revert must not bring an old number back.)
    history_exclude: tuple[str, ...] = ("updated_at", "created_at", "search_text")

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    # Validation shared by every input path --------------------------------------------------
    def clean_fields(self, exclude=None):
        """Django's field checks plus the platform's input rules (core/validation.py):
        control characters removed, dates within range, long texts capped."""
        exclude = set(exclude or ())
        errors = validation.field_errors(self, exclude)
        try:
            super().clean_fields(exclude=exclude | set(errors))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        """Unique values are unique among deleted records too (the database says so): name
        the record in the trash instead of failing on save."""
        super().validate_unique(exclude=exclude)
        errors: dict[str, list[str]] = {}
        for field in self._meta.concrete_fields:
            if not field.unique or field.primary_key or field.name in (exclude or ()):
                continue
            value = getattr(self, field.attname)
            if value in (None, ""):
                continue
            clash = type(self).all_objects.deleted().filter(**{field.attname: value})
            if self.pk is not None:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors[field.name] = [
                    f"A deleted {self._meta.verbose_name} has this {field.verbose_name}: an "
                    "administrator can restore it from the trash; or choose another one."
                ]
        if errors:
            raise ValidationError(errors)

    # Permission policy, overridden per model. Checked on the server for every write.
    @classmethod
    def user_can_create(cls, user) -> bool:
        return bool(user.is_authenticated and user.is_superuser)

    def user_can_change(self, user) -> bool:
        return type(self).user_can_create(user)

    def user_can_view_history(self, user) -> bool:
        return self.user_can_change(user)


class ObjectChange(models.Model):
    """One entry of the append-only change history."""

    class Action(models.TextChoices):
        CREATE = "create", "created"
        UPDATE = "update", "updated"
        DELETE = "delete", "deleted"
        RESTORE = "restore", "restored"
        REVERT = "revert", "reverted"
        LOAD = "load", "loaded from reference data"
        IMPORT = "import", "imported"
        SUBMIT = "submit", "submitted for review"
        APPROVE = "approve", "approved"
        REJECT = "reject", "rejected"
        EXPIRE = "expire", "archived as expired"

    time = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    user_name = models.CharField(max_length=150, blank=True)
    request_id = models.UUIDField(db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # The record's version after this change (empty for entries older than versions).
    version = models.PositiveIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.get_action_display()} by {self.user_name or 'system'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("History entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("History entries are append-only and cannot be deleted.")

    @property
    def target(self):
        model = self.content_type.model_class()
        manager = getattr(model, "all_objects", model._default_manager)
        return manager.filter(pk=self.object_id).first()

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

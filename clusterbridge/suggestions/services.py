"""Suggestion actions, shared by the pages, the API and commands: each checks the record's
own permission policy and writes the history in the same transaction."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.suggestions.engine import suggest
from clusterbridge.suggestions.models import FeatureSuggestion
from clusterbridge.taxonomy.models import Feature

Status = FeatureSuggestion.Status


def supports_suggestions(model) -> bool:
    """Records that can take suggestions: tracked, with a `features` many-to-many."""
    try:
        field = model._meta.get_field("features")
    except Exception:  # noqa: BLE001 — no such field
        return False
    return (
        field.many_to_many and field.related_model is Feature and hasattr(model, "user_can_change")
    )


def _check(obj, user) -> None:
    # user=None is the system (commands, imports); people must be allowed to change the record.
    if user is not None and not obj.user_can_change(user):
        raise PermissionDenied("You may not change this record.")


def pending_for(obj) -> models.QuerySet:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return FeatureSuggestion.objects.filter(
        content_type=content_type, object_id=str(obj.pk), status=Status.SUGGESTED
    ).select_related("feature")


@transaction.atomic
def suggest_for(obj, text: str | None = None, user=None) -> list[FeatureSuggestion]:
    """Store the features suggested by `text` (default: the record's description).

    Features the record already has, and features already suggested for it (pending, accepted
    or rejected), are not suggested again. Returns the new suggestions.
    """
    if not supports_suggestions(type(obj)):
        raise ValidationError(f"{obj._meta.verbose_name} records do not take suggested features.")
    _check(obj, user)
    text = obj.description if text is None else text
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    assigned = set(obj.features.values_list("code", flat=True))
    known = set(
        FeatureSuggestion.all_objects.filter(
            content_type=content_type, object_id=str(obj.pk)
        ).values_list("feature__code", flat=True)
    )
    found = [s for s in suggest(text) if s.code not in assigned | known]
    features = Feature.objects.in_bulk([s.code for s in found], field_name="code")
    created = []
    for found_suggestion in found:
        feature = features.get(found_suggestion.code)
        if feature is None:  # a lexicon code missing from the taxonomy
            continue
        suggestion = FeatureSuggestion(
            content_type=content_type,
            object_id=str(obj.pk),
            feature=feature,
            score=found_suggestion.score,
            evidence=found_suggestion.evidence,
        )
        history.save(suggestion, user=user, message="Suggested from the description")
        created.append(suggestion)
    return created


def _decide(suggestion: FeatureSuggestion, user, status: str) -> None:
    if not suggestion.is_pending:
        raise ValidationError(
            f"This suggestion was already {suggestion.get_status_display().lower()}."
        )
    suggestion.status = status
    suggestion.decided_by = user if getattr(user, "is_authenticated", False) else None
    suggestion.decided_at = timezone.now()


def live_target(suggestion: FeatureSuggestion):
    """The suggestion's record; a deleted record takes no decisions until it is restored."""
    obj = suggestion.target  # generic relations load deleted records too
    if obj is None or getattr(obj, "is_deleted", False):
        raise ValidationError("The record of this suggestion no longer exists.")
    return obj


@transaction.atomic
def accept(suggestion: FeatureSuggestion, user) -> None:
    """Add the suggested feature to the record (through its history) and close the suggestion."""
    suggestion = FeatureSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    obj = live_target(suggestion)
    _check(obj, user)
    _decide(suggestion, user, Status.ACCEPTED)
    history.save(suggestion, user=user, action=history.Action.APPROVE)
    features = list(obj.features.all())
    if suggestion.feature not in features:
        history.save(
            obj,
            user=user,
            m2m={"features": [*features, suggestion.feature]},
            message=f"Accepted suggested feature {suggestion.feature.code} "
            f"(from: {', '.join(suggestion.evidence)})",
        )


@transaction.atomic
def reject(suggestion: FeatureSuggestion, user) -> None:
    suggestion = FeatureSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    obj = live_target(suggestion)
    _check(obj, user)
    _decide(suggestion, user, Status.REJECTED)
    history.save(suggestion, user=user, action=history.Action.REJECT)

"""Suggestion actions, shared by the pages, the API and commands: each checks the record's
own permission policy and writes the history in the same transaction."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.core.services import ModelService, Plan, register
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


# The text suggestions are read from: what the record says it is about.
TEXT_FIELDS = ("name", "target_scope", "description")
LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit on any build


def text_of(obj) -> str:
    return "\n".join(value for name in TEXT_FIELDS if (value := getattr(obj, name, "") or ""))


def suggested_by_record(obj) -> list:
    """The engine's suggestions for the record's own text. A feature its name states is kept
    even when the trained model reads the rest of the text as about something else and drops
    it ("Internet of Things For Industry" whose description never says IoT again): the name is
    the record's own summary. A name is short, so the model is never asked about it alone."""
    found = suggest(text_of(obj))
    codes = {s.code for s in found}
    return found + [s for s in suggest(getattr(obj, "name", "") or "") if s.code not in codes]


class FeatureSuggestionService(ModelService[FeatureSuggestion]):
    """Suggestions are made by the system; people decide them (accept, reject below)."""

    model = FeatureSuggestion


feature_suggestions = register(FeatureSuggestionService())


def suggest_for(obj, text: str | None = None, user=None) -> list[FeatureSuggestion]:
    """Store the features suggested by `text` (default: the record's name, target scope and
    description). See `suggest_for_many`."""
    if not supports_suggestions(type(obj)):
        raise ValidationError(f"{obj._meta.verbose_name} records do not take suggested features.")
    return suggest_for_many([obj], user=user, text=text)


@transaction.atomic
def suggest_for_many(objs, *, user=None, text: str | None = None) -> list[FeatureSuggestion]:
    """Store suggested features for records of one model, in a few queries whatever their
    number (an import brings thousands). Features a record has, and features already
    suggested for it (pending, accepted or rejected), are not suggested again. Each new
    suggestion gets its history entry ("Suggested from the description")."""
    objs = [o for o in objs if o.pk is not None]
    if not objs:
        return []
    for obj in objs:
        _check(obj, user)
    model = type(objs[0])
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    features = {f.code: f for f in Feature.objects.all()}
    through = model._meta.get_field("features").remote_field.through
    source = model._meta.get_field("features").m2m_field_name()
    known: set[tuple[str, int]] = set()
    for start in range(0, len(objs), LOOKUP_CHUNK):
        chunk = objs[start : start + LOOKUP_CHUNK]
        known.update(
            (str(pk), feature)
            for pk, feature in through.objects.filter(
                **{f"{source}_id__in": [o.pk for o in chunk]}
            ).values_list(f"{source}_id", "feature_id")
        )
        known.update(
            FeatureSuggestion.all_objects.filter(
                content_type=content_type, object_id__in=[str(o.pk) for o in chunk]
            ).values_list("object_id", "feature_id")
        )
    plans = []
    for obj in objs:
        for found in suggested_by_record(obj) if text is None else suggest(text):
            feature = features.get(found.code)
            if feature is None or (str(obj.pk), feature.pk) in known:
                continue  # a lexicon code missing from the taxonomy, or known already
            known.add((str(obj.pk), feature.pk))
            suggestion = FeatureSuggestion(
                content_type=content_type,
                object_id=str(obj.pk),
                feature=feature,
                score=found.score,
                evidence=found.evidence,
                model_probability=found.model_probability,
            )
            plans.append(Plan(suggestion, None, []))
    feature_suggestions.bulk_write(
        plans, user=user, action=history.Action.CREATE, message="Suggested from the description"
    )
    return [plan.obj for plan in plans]


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


DECISIONS = {"confirm": accept, "reject": reject}


@dataclass
class BulkOutcome:
    done: list[FeatureSuggestion] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (id, why)


@transaction.atomic
def decide_many(ids, user, decision: str) -> BulkOutcome:
    """Confirm or reject many suggestions at once (the editors' queue), each through `accept`
    or `reject` — the record's permission, its history entry, the suggestion's own — in one
    transaction. A suggestion that cannot be decided (decided meanwhile, its record deleted,
    not the person's to change) is reported and the others go ahead."""
    action = DECISIONS.get(decision)
    if action is None:
        raise ValidationError(f"Unknown decision “{decision}”: use confirm or reject.")
    outcome = BulkOutcome()
    wanted = sorted({int(pk) for pk in ids})
    found = FeatureSuggestion.objects.select_related("feature").in_bulk(wanted)
    for pk in wanted:
        suggestion = found.get(pk)
        if suggestion is None:
            outcome.refused.append((pk, "no such suggestion"))
            continue
        try:
            action(suggestion, user)
        except ValidationError as error:
            outcome.refused.append((pk, " ".join(error.messages)))
        except PermissionDenied as error:
            outcome.refused.append((pk, str(error) or "not yours to decide"))
        else:
            outcome.done.append(suggestion)
    return outcome


def pending_queue() -> models.QuerySet:
    """Pending suggestions for the editors' queue, best evidence first."""
    return (
        FeatureSuggestion.objects.filter(status=Status.SUGGESTED)
        .select_related("feature__category", "content_type")
        .order_by("-score", "content_type_id", "object_id", "feature__order")
    )

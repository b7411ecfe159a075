"""Every write of the benchmarking app: indicators (reference loads and administrators) and
a cluster's assessments — begun, answered block by block over several sittings, submitted
once at least 80 % is answered (seed 002 L303). Each write checks who may make it, validates
every answer against its indicator and records the history in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterbridge.accounts import roles
from clusterbridge.benchmarking import scoring
from clusterbridge.benchmarking.models import Assessment, Indicator, clean_answer
from clusterbridge.clusters.models import Cluster
from clusterbridge.core import history
from clusterbridge.core.services import ModelService, register
from clusterbridge.taxonomy.models import Term


class IndicatorService(ModelService[Indicator]):
    model = Indicator


class AssessmentService(ModelService[Assessment]):
    model = Assessment
    # Submission is an action of its own; a revert does not undo it.
    revert_exclude = ("status", "submitted_at", "submitted_by")

    def can_change(self, obj: Assessment, user) -> bool:
        if user is None:
            return True
        # A submitted assessment is a record of what was said: administrators only.
        return obj.user_can_change(user) and (obj.is_draft or roles.is_admin(user))


indicators = register(IndicatorService())
assessments = register(AssessmentService())


def require_manager(cluster: Cluster, user) -> None:
    if not (roles.is_admin(user) or cluster.is_managed_by(user)):
        raise PermissionDenied("Only the cluster's managers can assess it.")


def snapshot_indicators() -> tuple[str, list[dict]]:
    """The indicators as they are now, choices from vocabularies resolved: what a new
    assessment is answered against."""
    rows = list(Indicator.objects.order_by("position", "code"))
    vocabularies = {row.choices.split(":", 1)[1] for row in rows if isinstance(row.choices, str)}
    terms: dict[str, list[dict]] = {}
    for term in Term.objects.filter(vocabulary__in=vocabularies).order_by(
        "vocabulary", "order", "code"
    ):
        terms.setdefault(term.vocabulary, []).append({"value": term.code, "label": term.label})
    specs = []
    for row in rows:
        choices = row.choices
        if isinstance(choices, str):
            choices = terms.get(choices.split(":", 1)[1], [])
        specs.append(
            {
                "code": row.code,
                "block": row.block,
                "topic": row.topic,
                "question": row.question,
                "answer_type": row.answer_type,
                "choices": choices,
                "minimum": row.minimum,
                "maximum": row.maximum,
                "unit": row.unit,
                "weight": row.weight,
                "scoring": row.scoring,
                "eligibility": row.eligibility,
                "lifecycle": row.lifecycle,
                "prefill": row.prefill,
                "provenance": row.provenance,
                "version": row.version,
            }
        )
    version = rows[0].catalogue_version if rows else ""
    return version, specs


def prefill_answers(cluster: Cluster, specs: list[dict]) -> dict:
    """What the cluster's profile already says (members, founding year, sectors, services)."""
    answers: dict = {}
    for spec in specs:
        source = spec.get("prefill")
        if not source:
            continue
        if source == "sectors":
            names = [t.label for t in cluster.sectors.all()] or list(cluster.sectors_text or [])
            value = "; ".join(names) or None
        elif source == "services":
            allowed = {c["value"] for c in spec["choices"]}
            value = sorted(t.code for t in cluster.services.all() if t.code in allowed) or None
        else:
            value = getattr(cluster, source, None)
        if value is None:
            continue
        try:
            value = clean_answer(spec, value)
        except ValidationError:
            continue
        if scoring.answered(value):
            answers[spec["code"]] = value
    return answers


def start_assessment(cluster: Cluster, user, *, synthetic: bool = False) -> Assessment:
    """A new draft (or the open one: a cluster has one draft at a time)."""
    if user is not None:
        require_manager(cluster, user)
    existing = Assessment.objects.filter(cluster=cluster, status=Assessment.Status.DRAFT).first()
    if existing is not None:
        return existing
    version, specs = snapshot_indicators()
    answers = prefill_answers(cluster, specs)
    try:
        with transaction.atomic():
            result = assessments.create(
                None if user is None else user,
                {
                    "cluster": cluster,
                    "catalogue_version": version,
                    "indicators": specs,
                    "answers": answers,
                    "prefilled": sorted(answers),
                    "created_by": user if getattr(user, "is_authenticated", False) else None,
                    "is_synthetic": synthetic,
                },
                message="Assessment begun",
            )
    except IntegrityError:  # two sittings began one at the same moment
        return Assessment.objects.get(cluster=cluster, status=Assessment.Status.DRAFT)
    return result.obj


def parse_answers(assessment: Assessment, raw: dict) -> tuple[dict, dict[str, list[str]]]:
    """Clean each given answer against its indicator; (values, errors by code)."""
    values, errors = {}, {}
    for code, value in raw.items():
        spec = assessment.spec(code)
        if spec is None:
            errors[code] = ["No such question in this assessment."]
            continue
        try:
            values[code] = clean_answer(spec, value)
        except ValidationError as error:
            errors[code] = error.messages
    return values, errors


class AnswerConflict(Exception):
    """Questions this sitting answers were changed by someone else since it opened."""

    def __init__(self, assessment: Assessment, codes: list[str]) -> None:
        self.assessment = assessment
        self.codes = codes
        super().__init__(
            "Someone else changed these answers since you opened the page: "
            + ", ".join(codes)
            + ". Their answers are shown; check them and save again."
        )


def _changed_since(stored: Assessment, version: int) -> set[str]:
    codes: set[str] = set()
    for change in history.history_of(stored).filter(version__gt=version):
        before = (change.before or {}).get("answers") or {}
        after = (change.after or {}).get("answers") or {}
        codes |= {code for code in set(before) | set(after) if before.get(code) != after.get(code)}
    return codes


def save_answers(
    assessment: Assessment, user, raw: dict, *, version: int | None = None
) -> Assessment:
    """Save a sitting's answers (one block, or any subset), merged into the stored answers:
    two managers answering different blocks both keep theirs. Nothing is saved when one
    answer is invalid (ValidationError names each question's problem), nor when a question
    sent was changed by someone else since `version` to another value (AnswerConflict)."""
    values, errors = parse_answers(assessment, raw)
    if errors:
        raise ValidationError(dict(errors))
    with transaction.atomic():
        stored = Assessment.all_objects.select_for_update().get(pk=assessment.pk)
        if user is not None and not stored.user_can_change(user):
            raise PermissionDenied("Only the cluster's managers can answer its assessment.")
        if not stored.is_draft:
            raise ValidationError(
                "This assessment is submitted; begin a new one to change answers."
            )
        if version is not None and version != stored.version:
            clashes = sorted(
                code
                for code in _changed_since(stored, version) & set(values)
                if stored.answers.get(code) != values[code]
            )
            if clashes:
                raise AnswerConflict(stored, clashes)
        answers = dict(stored.answers)
        for code, value in values.items():
            if value is None:
                answers.pop(code, None)
            else:
                answers[code] = value
        prefilled = [code for code in stored.prefilled if code not in values]
        result = assessments.update(
            stored, user, {"answers": answers, "prefilled": prefilled}, message="Answers saved"
        )
    assessment.refresh_from_db()
    return result.obj


def submit(assessment: Assessment, user, *, version: int | None = None) -> Assessment:
    with transaction.atomic():
        stored = Assessment.all_objects.select_for_update().get(pk=assessment.pk)
        if user is not None and not stored.user_can_change(user):
            raise PermissionDenied("Only the cluster's managers can submit its assessment.")
        if not stored.is_draft:
            raise ValidationError("This assessment is already submitted.")
        if stored.completion < scoring.SUBMIT_SHARE:
            raise ValidationError(
                f"{stored.completion:.0%} answered; an assessment is submitted once at least "
                f"{scoring.SUBMIT_SHARE:.0%} is answered (EU4Digital report, line 303)."
            )
        result = assessments.update(
            stored,
            user,
            {
                "status": Assessment.Status.SUBMITTED,
                "submitted_at": timezone.now(),
                "submitted_by": user if getattr(user, "is_authenticated", False) else None,
            },
            version=version,
            message="Assessment submitted",
        )
    assessment.refresh_from_db()
    return result.obj


def set_sharing(assessment: Assessment, user, share: bool) -> Assessment:
    """Consent to a network's aggregate figures (an assessment's managers only)."""
    if not assessment.user_can_change(user):
        raise PermissionDenied("Only the cluster's managers decide what is shared.")
    with transaction.atomic():
        stored = Assessment.all_objects.select_for_update().get(pk=assessment.pk)
        stored.share_with_networks = share
        assessments.write(stored, user=user, message="Sharing with networks changed")
    assessment.refresh_from_db()
    return assessment

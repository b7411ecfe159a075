"""Funding instruments (programmes and calls) and strategic documents (seed 001 §2.1).

An instrument's status is never stored: it is derived at query time (`status_conditions`,
used by `InstrumentQuerySet.with_status` / `with_statuses`) or in Python (`status_of`, used
by `Instrument.status_on` and the matching index) from the facts recorded — opening date,
deadlines, programme period, a closing statement of the source, the work-programme year in a
call's identifier — so a call leaves the open list the moment its last deadline passes,
without any job having to run. The rule (docs/decisions.md, "Statuses that are true"):

1. closed: the source says it is over (`closed_reason`), or its last deadline has passed,
   or its programme period has ended, or it is a call without deadline whose identifier
   names a past work-programme year;
2. forthcoming: it opens (opening date or period start) after the day;
3. open: a deadline or the period end is still ahead;
4. unknown: none of these dates is known — never "open".
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core import validation
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel
from clusterbridge.core.search import build_search_text
from clusterbridge.taxonomy.models import Country, Feature


def today() -> datetime.date:
    return timezone.localdate()


class Status(models.TextChoices):
    FORTHCOMING = "forthcoming", "Forthcoming"
    OPEN = "open", "Open"
    UNKNOWN = "unknown", "Status unknown"
    CLOSED = "closed", "Closed"


# What search and matching show unless a person asks for more.
CURRENT_STATUSES = (Status.OPEN, Status.FORTHCOMING)

# A work-programme year in a call identifier: "HORIZON-CL3-2023-SSRI-01-02",
# "H2020-INNOSUP-2020-01-two-stage", "IA-HORIZON-CL3-2023-CS-01-01".
_WORK_PROGRAMME_YEAR = re.compile(r"(?:^|-)(20\d\d)(?=-|$)")


def work_programme_year(identifier: str | None) -> int | None:
    """The work-programme year an EU call identifier names, if any (its first 20xx part)."""
    match = _WORK_PROGRAMME_YEAR.search((identifier or "").upper())
    return int(match.group(1)) if match else None


# A type-of-action prefix some documents print before an EU topic id
# ("IA-HORIZON-CL3-2023-CS-01-01" for the portal's "HORIZON-CL3-2023-CS-01-01").
_ACTION_PREFIX = re.compile(r"^(?:IA|RIA|CSA|COFUND|PCP|PPI)-(?=[A-Z])")


def identifier_key(identifier: str | None) -> str:
    """The form of an identifier under which its printed variants meet: upper case, no
    type-of-action prefix. Imports find an existing record by it."""
    return _ACTION_PREFIX.sub("", (identifier or "").strip().upper())


def status_conditions(on: datetime.date) -> list[tuple[str, Q]]:
    """The status rule as database conditions, in order: the first that holds decides.
    Anything matching none is "unknown". `status_of` is the same rule in Python."""
    year_passed = Q(kind="call", final_deadline__isnull=True, work_programme_year__lt=on.year)
    return [
        (
            Status.CLOSED,
            ~Q(closed_reason="") | Q(final_deadline__lt=on) | Q(period_end__lt=on) | year_passed,
        ),
        (Status.FORTHCOMING, Q(opening_date__gt=on) | Q(period_start__gt=on)),
        (Status.OPEN, Q(final_deadline__gte=on) | Q(period_end__gte=on)),
    ]


def status_condition(status: str, on: datetime.date) -> Q:
    """Records having `status` on the day (each condition excludes the ones before it)."""
    before = Q()
    for value, condition in status_conditions(on):
        if value == status:
            return condition & ~before if before else condition
        before |= condition
    return ~before  # unknown


def status_of(
    *,
    on: datetime.date,
    kind: str = "",
    opening_date: datetime.date | None = None,
    final_deadline: datetime.date | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    work_programme_year: int | None = None,
    closed_reason: str = "",
) -> str:
    """The status rule in Python (same order as `status_conditions`)."""
    if (
        closed_reason
        or (final_deadline and final_deadline < on)
        or (period_end and period_end < on)
        or (
            kind == "call"
            and final_deadline is None
            and work_programme_year is not None
            and work_programme_year < on.year
        )
    ):
        return Status.CLOSED
    if (opening_date and opening_date > on) or (period_start and period_start > on):
        return Status.FORTHCOMING
    if (final_deadline and final_deadline >= on) or (period_end and period_end >= on):
        return Status.OPEN
    return Status.UNKNOWN


class InstrumentQuerySet(LiveQuerySet):
    def with_statuses(self, statuses, on: datetime.date | None = None):
        """Records whose status on the day is one of `statuses`."""
        on = on or today()
        condition = Q(pk__in=[])
        for status in statuses:
            condition |= status_condition(status, on)
        return self.filter(condition)

    def forthcoming(self, on: datetime.date | None = None):
        return self.with_statuses([Status.FORTHCOMING], on)

    def closed(self, on: datetime.date | None = None):
        return self.with_statuses([Status.CLOSED], on)

    def open(self, on: datetime.date | None = None):
        return self.with_statuses([Status.OPEN], on)

    def unknown(self, on: datetime.date | None = None):
        return self.with_statuses([Status.UNKNOWN], on)

    def current(self, on: datetime.date | None = None):
        """Open or forthcoming: what search and matching show by default."""
        return self.with_statuses(CURRENT_STATUSES, on)

    def with_status(self, on: datetime.date | None = None):
        on = on or today()
        return self.annotate(
            status=Case(
                *[When(condition, then=Value(value)) for value, condition in status_conditions(on)],
                default=Value(Status.UNKNOWN),
                output_field=models.CharField(),
            )
        )

    def real(self):
        return self.filter(is_synthetic=False)

    def closing_within(self, days: int, on: datetime.date | None = None):
        """Open instruments with a deadline in the next `days` days, annotated with that
        deadline (`closes_on`), soonest first."""
        on = on or today()
        window = Q(
            deadline_rows__date__gte=on, deadline_rows__date__lte=on + datetime.timedelta(days)
        )
        return (
            self.open(on)
            .filter(window)
            .annotate(closes_on=Min("deadline_rows__date", filter=window))
            .order_by("closes_on", "name", "pk")
        )


class InstrumentManager(LiveManager.from_queryset(InstrumentQuerySet)):
    pass


class Instrument(TrackedModel):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme"
        CALL = "call", "Call"

    class Origin(models.TextChoices):
        NATIONAL = "national", "National"
        INTERNATIONAL = "international", "International"

    class CoverLevel(models.TextChoices):
        EU = "eu", "EU"
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"

    class Periodicity(models.TextChoices):
        ONE_OFF = "one-off", "One-off"
        RECURRING = "recurring", "Recurring"
        CONTINUOUS = "continuous", "Continuous"

    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        blank=True,
        help_text="Left empty when the source does not say.",
    )
    name = models.CharField(max_length=300)
    identifier = models.CharField(
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text="e.g. the EU Funding & Tenders Portal topic id.",
    )
    source = models.CharField("source / funding body", max_length=300, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    cover_level = models.CharField(max_length=16, choices=CoverLevel.choices, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="instruments"
    )
    link = models.URLField(max_length=500, blank=True)
    target_organisations = models.TextField(blank=True)
    international_funding = models.TextField("international funding possibilities", blank=True)
    target_scope = models.TextField(blank=True)
    budget_amount = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_currency = models.CharField(max_length=3, blank=True, default="")
    periodicity = models.CharField(max_length=16, choices=Periodicity.choices, blank=True)
    opening_date = models.DateField(null=True, blank=True, db_index=True)
    deadline_dates = models.JSONField(
        default=list, blank=True, help_text="All cut-off dates (ISO), sorted."
    )
    # Derived from deadline_dates on save: the last cut-off, which decides "closed".
    final_deadline = models.DateField(null=True, blank=True, editable=False, db_index=True)
    description = models.TextField(blank=True)
    features = models.ManyToManyField(Feature, blank=True, related_name="instruments")
    # What the source (e.g. the EU portal) says about the status; kept for maintenance.
    source_status = models.CharField(max_length=32, blank=True)
    period_start = models.DateField(
        null=True,
        blank=True,
        help_text="A programme's period: its first day, where a source states it or it is a "
        "public fact of the programme (name the source in the notes).",
    )
    period_end = models.DateField(
        null=True,
        blank=True,
        help_text="A programme's period: its last day. A programme past its period is closed.",
    )
    closed_reason = models.TextField(
        blank=True,
        help_text="What the source says that makes it over, with the line (e.g. “seed 001 L546: "
        "the open calls were completed”). Any text here closes the instrument.",
    )
    # Derived from the identifier on save: the key under which its variants meet (imports
    # recognise "IA-HORIZON-…" as "HORIZON-…").
    identifier_key = models.CharField(max_length=120, blank=True, editable=False, db_index=True)
    # Derived from the identifier on save: a call without deadline whose work-programme year
    # has passed is closed.
    work_programme_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    incomplete_at_source = models.BooleanField(
        default=False,
        db_index=True,
        help_text="The source truncates or leaves the record unnamed; it is never completed by "
        "guessing.",
    )
    source_group = models.CharField(
        max_length=200,
        blank=True,
        help_text="The programme entry under which incomplete records are grouped on public pages.",
    )
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set by expire_calls once the call has closed.",
    )
    notes = models.TextField(blank=True, help_text="Editorial notes, doubts about the source.")
    is_synthetic = models.BooleanField(default=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = InstrumentManager()
    all_objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["is_synthetic", "final_deadline"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:instrument-detail", args=[self.pk])

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_editor(user)

    # Deadlines ------------------------------------------------------------------------------
    @property
    def deadlines(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(d) for d in self.deadline_dates]

    def next_deadline(self, on: datetime.date | None = None) -> datetime.date | None:
        on = on or today()
        upcoming = [d for d in self.deadlines if d >= on]
        return upcoming[0] if upcoming else None

    def status_on(self, on: datetime.date | None = None) -> str:
        return status_of(
            on=on or today(),
            kind=self.kind,
            opening_date=self.opening_date,
            final_deadline=self.final_deadline,
            period_start=self.period_start,
            period_end=self.period_end,
            work_programme_year=self.work_programme_year,
            closed_reason=self.closed_reason,
        )

    def status_reason(self, on: datetime.date | None = None) -> str:
        """Why the record has its status, in one sentence for its page and result card."""
        on = on or today()
        status = self.status_on(on)
        if status == Status.CLOSED:
            if self.closed_reason:
                return f"Closed: {self.closed_reason}"
            if self.final_deadline and self.final_deadline < on:
                return f"Closed: the last deadline was {self.final_deadline.isoformat()}."
            if self.period_end and self.period_end < on:
                return f"Closed: the programme period ended on {self.period_end.isoformat()}."
            return (
                f"Closed: the identifier names the {self.work_programme_year} work programme, "
                "which is past, and no deadline is recorded."
            )
        if status == Status.FORTHCOMING:
            opens = max(d for d in (self.opening_date, self.period_start) if d)
            return f"Forthcoming: opens on {opens.isoformat()}."
        if status == Status.OPEN:
            if self.next_deadline(on):
                return f"Open: next deadline {self.next_deadline(on).isoformat()}."
            return f"Open: the programme period runs until {self.period_end.isoformat()}."
        return "Status unknown: no deadline or programme period is recorded. Check at the source."

    # Eligibility ----------------------------------------------------------------------------
    @property
    def is_country_specific(self) -> bool:
        """National and regional instruments are for applicants of their own country."""
        return bool(self.country_id) and (
            self.origin == self.Origin.NATIONAL
            or self.cover_level in (self.CoverLevel.NATIONAL, self.CoverLevel.REGIONAL)
        )

    def eligibility(self, for_country: Country | None = None) -> str:
        """Whom the instrument is open to, in one phrase for result cards and the detail
        page ("EU-wide", "Only for applicants from Denmark"). `for_country` is the country
        the person searches from, when they chose one: the phrase then answers for it.

        Derived from origin, cover level and country only: the source documents do not
        state eligibility rules beyond these, so nothing finer is claimed."""
        if self.is_country_specific:
            where = self.country.label
            if self.cover_level == self.CoverLevel.REGIONAL:
                where = f"a region of {where}"
            if for_country is not None and for_country.pk == self.country_id:
                return f"Open to applicants from {where}"
            return f"Only for applicants from {where}"
        if self.origin == self.Origin.NATIONAL:
            return "National; the country is not recorded"
        scope = "EU-wide" if self.cover_level == self.CoverLevel.EU else "International"
        if for_country is None:
            return scope
        if scope == "EU-wide" and "EU" in (for_country.groups or []):
            return f"EU-wide: open to applicants from {for_country.label}"
        return f"{scope}: check at the source whether applicants from {for_country.label} may apply"

    def clean(self) -> None:
        """Rules shared by the editors' form and the API serializer."""
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period cannot end before it starts."})
        errors = instrument_errors(
            origin=self.origin,
            cover_level=self.cover_level,
            country=self.country_id,
            opening_date=self.opening_date,
            deadline_dates=self.deadline_dates,
        )
        if errors:
            raise ValidationError(errors)

    def prepare_for_save(self) -> None:
        """Normalise derived fields; called by save() and by bulk writers."""
        # An empty identifier is no identifier (the column is unique where it is set).
        self.identifier = (self.identifier or "").strip() or None
        self.work_programme_year = work_programme_year(self.identifier)
        self.identifier_key = identifier_key(self.identifier)
        self.closed_reason = (self.closed_reason or "").strip()
        self.budget_currency = (self.budget_currency or "").strip().upper()
        try:
            dates = sorted(
                {datetime.date.fromisoformat(str(d)[:10]) for d in self.deadline_dates or []}
            )
        except ValueError:
            dates = None  # left as typed, for clean() to name the bad value
        if dates is not None:
            self.deadline_dates = [d.isoformat() for d in dates]
            self.final_deadline = dates[-1] if dates else None
        self.search_text = build_search_text(
            self.name,
            self.identifier,
            self.source,
            self.description,
            self.target_organisations,
            self.target_scope,
            self.international_funding,
        )

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        update_fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Deadline rows mirror deadline_dates for the deadline-window filter.
            if not update_fields or "deadline_dates" in update_fields:
                Deadline.objects.filter(instrument=self).delete()
                Deadline.objects.bulk_create(
                    [Deadline(instrument=self, date=d) for d in self.deadlines]
                )


def instrument_errors(*, origin, cover_level, country, opening_date, deadline_dates) -> dict:
    """Field → message for an inconsistent instrument (empty when it is consistent)."""
    errors: dict[str, str] = {}
    needs_country = origin == Instrument.Origin.NATIONAL or cover_level in (
        Instrument.CoverLevel.NATIONAL,
        Instrument.CoverLevel.REGIONAL,
    )
    if needs_country and not country:
        errors["country"] = "A national or regional instrument needs its country."
    dates = []
    for value in deadline_dates or []:
        try:
            dates.append(
                value
                if isinstance(value, datetime.date)
                else datetime.date.fromisoformat(str(value))
            )
        except ValueError:
            errors["deadline_dates"] = f"“{value}” is not a date (use YYYY-MM-DD)."
            return errors
    if not all(validation.date_in_range(d) for d in dates):
        errors["deadline_dates"] = validation.date_range_message()
        return errors
    early = sorted(d for d in dates if opening_date and d < opening_date)
    if early:
        errors["deadline_dates"] = (
            f"Deadline {early[0].isoformat()} is before the opening date "
            f"{opening_date.isoformat()}."
        )
    return errors


class Deadline(models.Model):
    """One cut-off date of an instrument (mirror of Instrument.deadline_dates)."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="deadline_rows"
    )
    date = models.DateField(db_index=True)

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["date", "instrument"])]

    def __str__(self) -> str:
        return self.date.isoformat()


class StrategicDocument(TrackedModel):
    """A strategy described by priorities (features), e.g. a national cybersecurity strategy."""

    name = models.CharField(max_length=300)
    issuer = models.CharField(max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategic_documents",
        help_text="Empty for EU-wide or macro-regional documents.",
    )
    link = models.URLField(max_length=500, blank=True)
    period = models.CharField(max_length=60, blank=True, help_text="e.g. 2021–2027")
    description = models.TextField(blank=True)
    priorities = models.ManyToManyField(Feature, blank=True, related_name="strategic_documents")
    notes = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:strategy-detail", args=[self.pk])

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_editor(user)


__all__ = [
    "CURRENT_STATUSES",
    "Deadline",
    "Instrument",
    "SearchChange",
    "SearchVersion",
    "Status",
    "StrategicDocument",
    "identifier_key",
    "instrument_errors",
    "status_condition",
    "status_conditions",
    "status_of",
    "work_programme_year",
]


class SearchVersion(models.Model):
    """One row whose token changes with every write to instruments, their features or their
    deadlines (database triggers, `funding.index.ensure_triggers`): each server process
    compares it with the token its search index was built at, so a write made by any
    process, an import or the expiry job is seen by the next request everywhere. A random
    token rather than a counter: a rolled-back transaction puts back an old value, which a
    counter would then reuse for different data."""

    token = models.CharField(max_length=40, default="0")

    def __str__(self) -> str:
        return self.token


class SearchChange(models.Model):
    """The change log of the search index: one row per write to an instrument, its features
    or its deadlines, naming the instrument (triggers, `funding.index.ensure_triggers`). A
    process whose index has applied the log up to a row re-reads only the instruments
    written after it; a row without an instrument (a taxonomy write, a truncation, the log
    pruned) means: rebuild whole."""

    instrument_id = models.BigIntegerField(null=True)
    # SQLite numbers a row after a rolled-back one with the same id again: the version
    # token at the write tells the two apart (PostgreSQL's sequence never reuses one).
    token = models.CharField(max_length=40, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.pk}: {self.instrument_id}"

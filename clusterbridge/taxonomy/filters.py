"""Filters over taxonomy codes shared by every FilterSet: unknown codes are an error that
names them (a 400 in the API, a field error on the page), never an empty result."""

import django_filters
from django import forms
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema_field

from clusterbridge.taxonomy.models import Country, Feature, Term


class CodeListField(forms.Field):
    """A repeatable parameter (?feature=T1&feature=D2, or feature=T1,D2) of known codes."""

    def __init__(self, *, known_codes, noun: str, normalise=str.upper, **kwargs):
        self.known_codes = known_codes  # callable returning a set
        self.noun = noun
        self.normalise = normalise
        kwargs.setdefault("required", False)
        super().__init__(widget=forms.MultipleHiddenInput, **kwargs)

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        codes = []
        for item in values:
            codes += [self.normalise(part.strip()) for part in str(item).split(",") if part.strip()]
        return list(dict.fromkeys(codes))

    def validate(self, value):
        super().validate(value)
        known = self.known_codes() if value else set()
        unknown = [code for code in value if code not in known]
        if unknown:
            # Formatted by Django (and again by django-filter for the API) from params:
            # a code written into the message itself would be %-formatted twice.
            raise forms.ValidationError(
                "Unknown %(noun)s: %(codes)s.",
                code="unknown_code",
                params={"noun": self.noun, "codes": ", ".join(unknown)},
            )


def feature_code_case(code: str) -> str:
    """A feature code as the taxonomy writes it, whatever case it was typed in: "t1" → "T1",
    "a-HEALTH" → "A-health" (application domains take the ecosystem's lower-case code)."""
    if code[:2].upper() == "A-":
        return "A-" + code[2:].lower()
    return code.upper()


def feature_codes() -> set[str]:
    return set(Feature.objects.values_list("code", flat=True))


def country_codes() -> set[str]:
    return set(Country.objects.values_list("code", flat=True))


def term_codes(vocabulary: str):
    return lambda: set(Term.objects.filter(vocabulary=vocabulary).values_list("code", flat=True))


# In the API schema a code list is a repeatable string parameter.
@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CodeListFilter(django_filters.Filter):
    """Filter by a list of codes; `conjoined` means every code must apply (AND)."""

    field_class = CodeListField

    def __init__(
        self, *, lookup, known_codes, noun, normalise=str.upper, conjoined=False, **kwargs
    ):
        self.conjoined = conjoined
        self.lookup = lookup
        super().__init__(known_codes=known_codes, noun=noun, normalise=normalise, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.conjoined:
            # One EXISTS-free pass: keep records whose matching related codes cover all values.
            matching = (
                qs.model._default_manager.filter(**{f"{self.lookup}__in": value})
                .values("pk")
                .annotate(hits=Count(self.lookup, distinct=True))
                .filter(hits=len(value))
                .values("pk")
            )
            return qs.filter(pk__in=matching)
        return qs.filter(
            pk__in=qs.model._default_manager.filter(Q(**{f"{self.lookup}__in": value})).values("pk")
        )


def FeatureFilter(lookup="features__code", **kwargs):
    kwargs.setdefault("normalise", feature_code_case)
    return CodeListFilter(
        lookup=lookup, known_codes=feature_codes, noun="feature code(s)", **kwargs
    )


def CountryFilter(lookup="country__code", **kwargs):
    return CodeListFilter(
        lookup=lookup, known_codes=country_codes, noun="country code(s)", **kwargs
    )


def TermFilter(vocabulary: str, lookup: str, **kwargs):
    return CodeListFilter(
        lookup=lookup,
        known_codes=term_codes(vocabulary),
        noun=f"{vocabulary} code(s)",
        normalise=str.lower,
        **kwargs,
    )

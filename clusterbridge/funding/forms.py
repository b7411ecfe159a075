"""Editors' forms. Rules live in the model (`Instrument.clean`, the field validators and the
shared input rules of core/validation.py), so the form, the API and the importers refuse the
same things with the same messages; the form only shapes what people type."""

import datetime
import re

from django import forms

from clusterbridge.core.editing import VersionedFormMixin
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory


class DeadlineListField(forms.CharField):
    """Deadlines typed as a list of dates (one per line or comma-separated, YYYY-MM-DD)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        dates = set()
        for part in re.split(r"[\s,;]+", (value or "").strip()):
            if not part:
                continue
            try:
                dates.add(datetime.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(
                    f"“{part}” is not a date (use YYYY-MM-DD).", code="invalid"
                ) from None
        return [d.isoformat() for d in sorted(dates)]


def grouped_feature_choices():
    """Feature checkboxes grouped by category (Techniques, Process, ... General)."""
    categories = FeatureCategory.objects.prefetch_related("features").order_by("order")
    return [
        (f"{c.label} ({c.code})", [(f.pk, f"{f.code} {f.label}") for f in c.features.all()])
        for c in categories
    ]


class FeatureCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "funding/widgets/feature_checkboxes.html"


class InstrumentForm(VersionedFormMixin, forms.ModelForm):
    deadline_dates = DeadlineListField(
        required=False,
        label="Deadlines",
        help_text="All cut-off dates, one per line, as YYYY-MM-DD. Leave empty for a "
        "continuous call or a programme without deadline.",
    )
    country = forms.ModelChoiceField(
        Country.objects.all(),
        required=False,
        help_text="Required for national and regional instruments.",
    )
    link = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="The call or programme page, starting with https://",
    )

    class Meta:
        model = Instrument
        fields = [
            "kind",
            "name",
            "identifier",
            "source",
            "origin",
            "cover_level",
            "country",
            "link",
            "target_organisations",
            "international_funding",
            "target_scope",
            "budget_amount",
            "budget_currency",
            "periodicity",
            "opening_date",
            "deadline_dates",
            "period_start",
            "period_end",
            "closed_reason",
            "description",
            "features",
            "source_status",
            "incomplete_at_source",
            "source_group",
            "notes",
        ]
        widgets = {
            "opening_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_reason": forms.Textarea(attrs={"rows": 2}),
            "features": FeatureCheckboxes,
            "target_organisations": forms.Textarea(attrs={"rows": 2}),
            "international_funding": forms.Textarea(attrs={"rows": 2}),
            "target_scope": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].choices = grouped_feature_choices()
        self.fields["features"].queryset = Feature.objects.all()


class StrategicDocumentForm(VersionedFormMixin, forms.ModelForm):
    link = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = StrategicDocument
        fields = [
            "name",
            "issuer",
            "country",
            "link",
            "period",
            "description",
            "priorities",
            "notes",
        ]
        widgets = {"priorities": FeatureCheckboxes, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].choices = grouped_feature_choices()

"""The questionnaire's form for one block, built from the assessment's indicator snapshot
(not from the current indicators: an old assessment keeps the questions it was asked)."""

from django import forms
from django.core.exceptions import ValidationError

from clusterbridge.benchmarking.models import AnswerType, clean_answer

YES_NO = [("", "Not answered"), ("yes", "Yes"), ("no", "No")]


class AnswerField(forms.Field):
    def __init__(self, spec: dict, **kwargs):
        self.spec = spec
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        try:
            return clean_answer(self.spec, value)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


def _widget(spec: dict):
    kind = spec["answer_type"]
    choices = [(c["value"], c["label"]) for c in spec.get("choices") or []]
    if kind == AnswerType.YES_NO:
        return forms.RadioSelect(choices=YES_NO)
    if kind == AnswerType.CHOICE:
        return forms.RadioSelect(choices=[("", "Not answered"), *choices])
    if kind == AnswerType.MULTIPLE_CHOICE:
        return forms.CheckboxSelectMultiple(choices=choices)
    if kind == AnswerType.TEXT:
        return forms.Textarea(attrs={"rows": 3})
    attrs = {"inputmode": "decimal"}
    if kind == AnswerType.YEAR:
        attrs = {"inputmode": "numeric", "autocomplete": "off", "size": 6}
    return forms.TextInput(attrs=attrs)


def _initial(spec: dict, value):
    if spec["answer_type"] == AnswerType.YES_NO and value is not None:
        return "yes" if value else "no"
    return value


class BlockForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, assessment, block: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.block = block
        self.specs = [s for s in assessment.indicators if s["block"] == block]
        self.fields["version"].initial = assessment.version
        for spec in self.specs:
            label = spec["question"] + (f" ({spec['unit']})" if spec.get("unit") else "")
            field = AnswerField(spec, label=label, widget=_widget(spec))
            field.initial = _initial(spec, assessment.answers.get(spec["code"]))
            field.spec = spec
            self.fields[spec["code"]] = field

    def raw_answers(self) -> dict:
        """What the person sent for each question of the block (validated by the service)."""
        raw = {}
        for spec in self.specs:
            code = spec["code"]
            if spec["answer_type"] == AnswerType.MULTIPLE_CHOICE:
                raw[code] = self.data.getlist(code)
            else:
                raw[code] = self.data.get(code, "")
        return raw

    def answer_fields(self):
        return [self[spec["code"]] for spec in self.specs]

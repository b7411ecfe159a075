"""The trained second opinion on weak lexicon evidence: when it is asked, what it adds, and
that the shipped weights are the ones the labelled data gives."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from clusterbridge.suggestions import engine
from clusterbridge.suggestions.engine import suggest
from clusterbridge.suggestions.model import char_ngrams, feature_model, word_ngrams

# The model's weights and opinions come from files, not the database: SQLite half only.
pytestmark = pytest.mark.same_on_every_database

DATA = Path(__file__).resolve().parents[1] / "data"


class StubModel:
    """Answers with fixed probabilities and records what it was asked."""

    def __init__(self, probabilities):
        self.given = probabilities
        self.asked: list[set] = []

    def probabilities(self, text, codes):
        self.asked.append(set(codes))
        return {code: self.given[code] for code in codes if code in self.given}

    def strongest_words(self, text, codes):
        return {code: [f"words for {code}"] for code in codes}


# Words that none of the lexicon's terms above name, to make a sentence a paragraph: the
# model is asked about texts of engine.MODEL_MIN_WORDS words or more.
FILLER = (
    " The project runs for two years in three regions and reports to the programme "
    "secretariat every six months with a short summary of the work done and the money spent."
)


def paragraph(sentence):
    return sentence + FILLER


def with_model(monkeypatch, probabilities):
    """The model's opinion under the fixed rule (MODEL_*); the learnt combination that
    replaces the rule where its file is shipped has its own tests (test_combiner.py)."""
    stub = StubModel(probabilities)
    monkeypatch.setattr(engine, "feature_model", lambda: stub)
    monkeypatch.setattr(engine, "feature_combiner", lambda: None)
    return stub


def test_weak_evidence_is_suggested_when_the_model_finds_the_feature_likely(lexicon, monkeypatch):
    stub = with_model(monkeypatch, {"P3": 0.8})
    found = {s.code: s for s in suggest(paragraph("Sensors report anomalies."), language="en")}
    assert set(found) == {"T14", "P3"}
    assert found["P3"].model_probability == 0.8
    assert found["P3"].evidence == ["anomalies"]  # still the words that triggered it
    assert found["P3"].score < found["T14"].score  # weaker evidence ranks after full matches
    assert found["T14"].model_probability is None
    assert stub.asked == [{"P3", "T14"}]  # only about features with words in the text


def test_weak_evidence_the_model_finds_unlikely_is_not_suggested(lexicon, monkeypatch):
    with_model(monkeypatch, {"P3": 0.39})
    assert [s.code for s in suggest(paragraph("Sensors report anomalies."), language="en")] == [
        "T14"
    ]


def test_the_fixed_rule_never_suggests_a_feature_without_words_for_it(lexicon, monkeypatch):
    stub = with_model(monkeypatch, {"P3": 0.99, "P7": 0.99})
    # P7's only word weighs 0.2, under MODEL_MIN_EVIDENCE; nothing at all names P3.
    assert [s.code for s in suggest(paragraph("Sensors that collect."), language="en")] == ["T14"]
    assert stub.asked == [{"T14"}]


def test_words_of_a_feature_the_model_finds_very_unlikely_are_dropped(lexicon, monkeypatch):
    """ "Sensors" fully names T14, but a text the model reads as about something else (a term
    in passing, or in another sense) loses it; a merely doubtful one keeps it."""
    with_model(monkeypatch, {"T14": engine.MODEL_VETO - 0.01})
    assert suggest(paragraph("Sensors matter."), language="en") == []
    with_model(monkeypatch, {"T14": engine.MODEL_VETO})
    [kept] = suggest(paragraph("Sensors matter."), language="en")
    assert kept.code == "T14" and kept.model_probability is None


def test_the_model_is_not_asked_about_one_sentence(lexicon, monkeypatch):
    stub = with_model(monkeypatch, {"P3": 0.99})
    assert [s.code for s in suggest("Sensors report anomalies.", language="en")] == ["T14"]
    assert stub.asked == []


def test_without_the_model_file_the_lexicon_works_alone(lexicon, monkeypatch):
    monkeypatch.setattr(engine, "feature_model", lambda: None)
    assert [s.code for s in suggest(paragraph("Sensors report anomalies."), language="en")] == [
        "T14"
    ]


def test_ngrams_are_those_the_model_was_trained_on():
    assert word_ngrams("keeps an eye") == ["keeps", "an", "eye", "keeps an", "an eye"]
    # Words padded with a space; a word no longer than n counts once, whole.
    assert char_ngrams("ab cdef") == [
        " ab",
        "ab ",
        " ab ",
        " cd",
        "cde",
        "def",
        "ef ",
        " cde",
        "cdef",
        "def ",
        " cdef",
        "cdef ",
    ]


def test_the_shipped_model_tells_a_stated_feature_from_an_absent_one():
    model = feature_model()
    text = (
        "Our appliance watches the hospital network around the clock. It spots intrusions, "
        "malware and unusual traffic between medical devices, and alerts the security team "
        "within seconds, so that an attack is stopped before it reaches patient records. It "
        "installs in a day and needs no changes to the existing equipment."
    )
    found = model.probabilities(text, ["P3", "G9", "D6", "G2"])
    assert found["P3"] > 0.5  # detection, stated
    assert max(found["G9"], found["D6"], found["G2"]) < 0.3  # training, demonstration, export


def test_the_words_it_weighed_most_are_the_texts_own_and_carry_its_opinion():
    """The evidence shown when no term matched: words as the text writes them, whose removal
    takes most of the model's confidence away (more than removing other content words)."""
    model = feature_model()
    text = (
        "Nuestra plataforma vigila la red del hospital día y noche. Detecta intrusiones, "
        "programas maliciosos y tráfico inusual entre dispositivos médicos, y avisa al equipo "
        "de seguridad en segundos, para que un ataque se detenga antes de llegar a los "
        "historiales de los pacientes."
    )

    def without(words):
        kept = [w for w in re.findall(r"\w+|\W+", text) if w not in words]
        return model.probabilities("".join(kept), ["P12"])["P12"]

    strongest = model.strongest_words(text, ["P12"])["P12"]
    assert len(strongest) == 3 and set(strongest) <= set(re.findall(r"\w+", text))
    before = model.probabilities(text, ["P12"])["P12"]
    assert before > 0.8
    assert without(strongest) < before - 0.2
    assert without(strongest) < without({"hospital", "médicos", "pacientes"})
    assert model.strongest_words(text, ["no such feature"]) == {}


def test_the_shipped_model_was_trained_on_the_labelled_files_as_they_are():
    """Change a labelled tuning file and this fails until the model is trained again
    (`scripts/train_suggestion_model.py`); the held-out sets are never among them."""
    trained_on = {s["file"]: s["sha256"] for s in feature_model().about["trained_on"]}
    expected = {
        f"tests/data/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in DATA.glob("suggest_labelled*.json")
        if not path.name.startswith("suggest_labelled_fresh")
    }
    assert trained_on == expected
    assert not any("fresh" in name for name in trained_on)


def test_the_shipped_model_covers_every_labelled_feature():
    items = [
        item
        for path in DATA.glob("suggest_labelled_tuning*.json")
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]
    ]
    labelled = {code for item in items for code in item["features"]}
    assert labelled <= set(feature_model().codes)

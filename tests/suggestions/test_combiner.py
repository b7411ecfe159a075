"""The learnt combination of lexicon evidence and model probability: where it decides, what
it never does, and that the shipped weights fit the inputs the engine gives them."""

import json
import re
from pathlib import Path

import pytest

from clusterbridge.suggestions import combiner, engine
from clusterbridge.suggestions.combiner import Combiner, contexts, feature_combiner, inputs
from clusterbridge.suggestions.engine import suggest
from clusterbridge.suggestions.model import feature_model

from .test_model import StubModel, paragraph

# The combination's weights and verdicts come from files, not the database: SQLite half only.
pytestmark = pytest.mark.same_on_every_database

DATA = Path(__file__).resolve().parents[1] / "data"
CODES = ["P3", "P7", "P9", "T14"]


def own_offsets(**offsets) -> Combiner:
    """A combination that knows only each feature's own offset (the rest weighs nothing)."""
    size = len(inputs(CODES, "P3", 1.0, 0.5, 1, 40, (1, 1, 0)))
    coef = [0.0] * size
    for code, offset in offsets.items():
        coef[size - 2 * len(CODES) + CODES.index(code)] = offset
    return Combiner(
        {"about": "test", "codes": CODES, "coef": coef, "intercept": 0.0, "threshold": 0.5}
    )


def with_both(monkeypatch, probabilities, judge):
    stub = StubModel(probabilities)
    monkeypatch.setattr(engine, "feature_model", lambda: stub)
    monkeypatch.setattr(engine, "feature_combiner", lambda: judge)
    return stub


def test_its_verdict_replaces_the_fixed_rule(lexicon, monkeypatch):
    # T14 is fully named and the model likes it; P3 has partial words the fixed rule would
    # leave out at 0.3. The combination learnt the opposite for both.
    with_both(monkeypatch, {"T14": 0.9, "P3": 0.3}, own_offsets(T14=-5, P3=5))
    found = {s.code: s for s in suggest(paragraph("Sensors report anomalies."), language="en")}
    assert set(found) == {"P3"}
    assert found["P3"].model_probability == 0.3 and found["P3"].evidence == ["anomalies"]
    with_both(monkeypatch, {"T14": 0.9, "P3": 0.3}, own_offsets(T14=5, P3=-5))
    found = {s.code: s for s in suggest(paragraph("Sensors report anomalies."), language="en")}
    assert set(found) == {"T14"} and found["T14"].model_probability is None


def test_a_feature_without_words_needs_the_model_and_the_combination(lexicon, monkeypatch):
    # P7's only word weighs 0.2, under MODEL_MIN_EVIDENCE; nothing at all names P3 or P9.
    text = paragraph("Sensors that collect.")
    likely = {"P3": 0.99, "P7": 0.9, "P9": engine.MODEL_ALONE - 0.01, "T14": 0.9}
    stub = with_both(monkeypatch, likely, own_offsets(P3=9, P7=9, P9=9, T14=9))
    found = {s.code: s for s in suggest(text, language="en")}
    # P9 is under MODEL_ALONE: the combination is never asked about it, however it would judge.
    assert set(found) == {"P3", "P7", "T14"}
    assert stub.asked == [{"P3", "P7", "P9", "T14"}]
    # Without a term, the evidence is the words the model weighed most, with its probability.
    assert found["P3"].evidence == ["words for P3"] and found["P3"].model_probability == 0.99
    assert not found["P3"].term_matched and found["P3"].score == 0
    # P7's own weak word is its evidence, and it ranks before P3, which has none.
    assert found["P7"].evidence == ["collect"] and found["P7"].term_matched
    assert [s.code for s in suggest(text, language="en")] == ["T14", "P7", "P3"]
    assert found["T14"].term_matched
    # The combination says no: nothing without full words.
    with_both(monkeypatch, likely, own_offsets(P3=-9, P7=-9, T14=9))
    assert [s.code for s in suggest(text, language="en")] == ["T14"]
    # No combination shipped: the fixed rule never suggests a feature without words.
    stub = StubModel(likely)
    monkeypatch.setattr(engine, "feature_model", lambda: stub)
    monkeypatch.setattr(engine, "feature_combiner", lambda: None)
    assert [s.code for s in suggest(text, language="en")] == ["T14"]
    assert stub.asked == [{"T14"}]


def test_it_is_not_asked_about_one_sentence(lexicon, monkeypatch):
    with_both(monkeypatch, {"T14": 0.9}, own_offsets(T14=-9))
    assert [s.code for s in suggest("Sensors report anomalies.", language="en")] == ["T14"]


def test_features_it_was_not_trained_on_keep_the_fixed_rule(lexicon, monkeypatch):
    judge = own_offsets(T14=-9)
    judge.known.discard("T14")
    with_both(monkeypatch, {"T14": engine.MODEL_VETO}, judge)
    assert [s.code for s in suggest(paragraph("Sensors matter."), language="en")] == ["T14"]


def test_context_counts_the_features_it_judges():
    totals = {"P3": 0.6, "T14": 1.0, "A3": 1.0}
    opinion = {"P3": 0.3, "T14": 0.9, "A3": 0.99}
    # A3 (an application domain) is not judged and counts for nothing.
    assert contexts(totals, opinion, set(CODES)) == {"P3": (2, 1, 1), "T14": (2, 1, 0)}


def test_the_shipped_combination_fits_the_shipped_model():
    judge = feature_combiner()
    assert judge is not None, "data/taxonomy/feature_combiner.json is missing"
    labelled = sorted(c for c in feature_model().codes if c[0] in "TPDG")
    assert judge.codes == labelled
    assert len(judge.coef) == len(inputs(judge.codes, "P3", 1.0, 0.5, 1, 40, (1, 1, 0)))
    assert 0.3 <= judge.threshold <= 0.7
    data = json.loads(combiner.COMBINER_PATH.read_text(encoding="utf-8"))
    assert "read blind" in data["about"] and "fresh" not in data["about"]


def test_the_shipped_combination_keeps_what_a_paragraph_states():
    text = (
        "Our appliance watches the hospital network around the clock. It spots intrusions, "
        "malware and unusual traffic between medical devices, and alerts the security team "
        "within seconds, so that an attack is stopped before it reaches patient records. It "
        "installs in a day and needs no changes to the existing equipment."
    )
    found = {s.code for s in suggest(text, language="en")}
    assert {"P3", "P12"} <= found  # detection and cybersecurity, both stated


def test_its_evidence_bands_start_at_the_engines_threshold():
    # combiner.py cannot import the engine (the engine imports it): the two must agree.
    assert combiner.FULL == engine.THRESHOLD


def test_the_shipped_combination_learnt_every_blind_round_since_the_model():
    """Add a round of labelled files and this fails until its commit is added to
    `ROUNDS` in scripts/train_suggestion_combiner.py and the combination trained again."""
    on_disk = set()
    for path in DATA.glob("suggest_labelled_tuning*.json"):
        if match := re.fullmatch(r"suggest_labelled_tuning(\d+)[a-h]", path.stem):
            on_disk.add(int(match.group(1)))
    # Rounds 10 and 11 were written before the model existed: nothing read them blind with it.
    assert set(feature_combiner().rounds) == {number for number in on_disk if number >= 12}

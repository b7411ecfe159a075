"""The last word on a paragraph's features: the lexicon's evidence and the model's opinion
weighed together, feature by feature.

The engine (`engine.py`) finds words for features; on a paragraph the trained model
(`model.py`) gives each feature with words a probability. A fixed rule used to decide from
those two numbers alone (full words kept unless the model's probability is below a veto,
partial words suggested above a bar). The same numbers mean different things for different
features: a full match for "training" is often a word in passing, one for "biometrics"
rarely is; the model is sure of some features and hesitant about others. This logistic
combination learns that from texts read blind: each tuning round's texts as the lexicon of
the day read them, before it was tuned on them, with a model trained like the shipped one
on every other fold of rounds (`scripts/train_suggestion_combiner.py`).
It judges features that have words and features without words that the model finds likely
(`engine.MODEL_ALONE`; their evidence is the words the model weighed most), only on texts
the model is asked about, and only the features it was trained on (T, P, D and G; the
application domains are not labelled). Its weights are `data/taxonomy/feature_combiner.json`;
without that file the fixed rule decides.
"""

import json
import math
from functools import lru_cache

from clusterbridge.core.reference import DATA_DIR

COMBINER_PATH = DATA_DIR / "taxonomy" / "feature_combiner.json"
# Evidence weights at or above FULL are the lexicon's own threshold (engine.THRESHOLD).
FULL = 1.0
EPSILON = 1e-9


def logit(probability: float) -> float:
    clipped = min(max(probability, 1e-4), 1 - 1e-4)
    return math.log(clipped / (1 - clipped))


def inputs(codes, code, total, probability, terms, words, context) -> list[float]:
    """The combination's inputs for one feature of one text. `context`: how many features
    of the text have words (at least the model's minimum), how many full words, and how many
    the model finds likelier than this one."""
    candidates, full_count, likelier = context
    full = total + EPSILON >= FULL
    odds = logit(probability)
    evidence = [total < 0.5, total >= 0.5 and not full, full and total < 1.5, total >= 1.5]
    shape = [odds, odds * full, terms, min(words, 200) / 100, candidates / 5, full_count / 5]
    shape += [likelier / 5, min(terms, 4) * odds / 4, probability, probability * full]
    # No term matched (engine.MODEL_ALONE): the model's opinion is all there is.
    none = total < EPSILON
    shape += [none, none * odds]
    own = [c == code for c in codes]
    return [float(v) for v in (*evidence, *shape, *own, *(o and full for o in own))]


def contexts(totals: dict, opinion: dict, codes) -> dict:
    """`inputs`' context for every feature in `opinion` that the combination judges."""
    judged = [c for c in opinion if c in codes]
    full_count = sum(1 for c in judged if totals[c] + EPSILON >= FULL)
    return {
        c: (len(judged), full_count, sum(1 for o in judged if opinion[o] > opinion[c]))
        for c in judged
    }


class Combiner:
    def __init__(self, data: dict) -> None:
        self.about = data["about"]
        self.rounds = data.get("rounds", [])  # the blind rounds it learnt from
        self.codes = list(data["codes"])
        self.known = set(self.codes)
        self.coef = data["coef"]
        self.intercept = data["intercept"]
        self.threshold = data["threshold"]

    def probability(self, values: list[float]) -> float:
        z = self.intercept + sum(w * v for w, v in zip(self.coef, values, strict=True))
        return 1 / (1 + math.exp(-z))

    def verdicts(self, totals: dict, opinion: dict, terms: dict, words: int) -> dict[str, bool]:
        """Feature → suggested or not, for the features with words it judges."""
        found = {}
        for code, context in contexts(totals, opinion, self.known).items():
            values = inputs(
                self.codes, code, totals[code], opinion[code], terms[code], words, context
            )
            found[code] = self.probability(values) >= self.threshold
        return found


@lru_cache(maxsize=1)
def feature_combiner() -> Combiner | None:
    if not COMBINER_PATH.exists():
        return None
    return Combiner(json.loads(COMBINER_PATH.read_text(encoding="utf-8")))

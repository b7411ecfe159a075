"""A trained second opinion on weak lexicon evidence.

The lexicon (`engine.py`) suggests a feature when the terms it matched reach full weight.
Text written by other people often states a feature with words that only partly match
(a partial term, one word of a family): evidence too weak to suggest on its own, and
mostly right. This module holds a linear model trained on the hand-labelled descriptions
(`tests/data/suggest_labelled*.json`, tuning parts only), one logistic regression per
feature over TF-IDF weighted word 1–2-grams and within-word character 3–5-grams of the
folded text. The engine asks it about paragraphs only (`engine.MODEL_MIN_WORDS`) and only
about features the lexicon found words for: it adds weakly worded ones it finds likely
(`engine.MODEL_MIN_EVIDENCE`, `engine.MODEL_MIN_PROBABILITY`) and drops fully worded ones it
finds very unlikely (`engine.MODEL_VETO`). It never suggests a feature on its own, so every
suggestion still shows the words that triggered it.

The weights are `data/taxonomy/feature_model.npz`, written by
`scripts/train_suggestion_model.py` (which needs scikit-learn; nothing here does). The
vectorising below reproduces scikit-learn's `TfidfVectorizer` (sublinear tf, smoothed idf,
L2 norm per part) so that the shipped weights mean what they meant in training; the
training script checks that the two agree before it writes the file.
"""

import json
import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

from clusterbridge.core.reference import DATA_DIR
from clusterbridge.core.search import fold

MODEL_PATH = DATA_DIR / "taxonomy" / "feature_model.npz"
WORD = re.compile(r"(?u)\b\w+\b")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


def word_ngrams(folded: str) -> list[str]:
    tokens = WORD.findall(folded)
    grams = list(tokens)
    for n in range(2, WORD_NGRAMS[1] + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_ngrams(folded: str) -> list[str]:
    """Character n-grams inside each word padded with one space ("char_wb")."""
    grams = []
    low, high = CHAR_NGRAMS
    for word in folded.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:
                grams.append(padded)  # a word no longer than n counts once, whole
                break
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


class FeatureModel:
    def __init__(self, arrays) -> None:
        self.about = json.loads(str(arrays["about"]))
        self.codes = [str(code) for code in arrays["codes"]]
        self.row_of = {code: row for row, code in enumerate(self.codes)}
        words = [str(w) for w in arrays["words"]]
        chars = [str(c) for c in arrays["chars"]]
        self.word_column = {gram: column for column, gram in enumerate(words)}
        self.char_column = {gram: column + len(words) for column, gram in enumerate(chars)}
        self.idf = np.concatenate([arrays["word_idf"], arrays["char_idf"]]).astype(np.float64)
        self.coef = arrays["coef"]  # int8, one row per feature, scaled by `scale`
        self.scale = arrays["scale"].astype(np.float64)
        self.intercept = arrays["intercept"].astype(np.float64)

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Columns and TF-IDF values of `text`, each part (words, characters) of unit length."""
        folded = fold(text)
        columns, values = [], []
        for grams, column_of in (
            (word_ngrams(folded), self.word_column),
            (char_ngrams(folded), self.char_column),
        ):
            counts = Counter(column_of[g] for g in grams if g in column_of)
            if not counts:
                continue
            part_columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            part = (1 + np.log(tf)) * self.idf[part_columns]
            columns.append(part_columns)
            values.append(part / math.sqrt(float(part @ part)))
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(columns), np.concatenate(values)

    def probabilities(self, text: str, codes) -> dict[str, float]:
        """The model's probability that `text` states each of `codes` it knows."""
        known = [code for code in codes if code in self.row_of]
        if not known:
            return {}
        rows = np.array([self.row_of[code] for code in known])
        columns, values = self.vector(text)
        weights = self.coef[np.ix_(rows, columns)].astype(np.float64)
        logits = (weights @ values) * self.scale[rows] + self.intercept[rows]
        return {code: 1 / (1 + math.exp(-z)) for code, z in zip(known, logits, strict=True)}


@lru_cache(maxsize=1)
def feature_model() -> FeatureModel | None:
    """The shipped model, or None where its file is missing (the lexicon then works alone)."""
    if not MODEL_PATH.exists():
        return None
    with np.load(MODEL_PATH, allow_pickle=False) as arrays:
        return FeatureModel(arrays)
